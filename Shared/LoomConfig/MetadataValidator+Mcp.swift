import Foundation
import LoomContract

/// What can be checked of MCP servers and `mcp` capabilities without starting anything; whether
/// a server answers and offers the named tools is `loom config check`'s part (``LoomTools``).
extension MetadataValidator {
    func mcpBackendIssues(_ capability: CapabilityDefinition, file: YAMLFile, key: [String]) -> [ConfigIssue] {
        let backend: McpBackend
        do {
            backend = try McpBackend(backend: capability.backend)
        } catch {
            return [file.issue(key: key + ["backend"], "\(error)")]
        }
        guard metadata.mcpServers[backend.server] != nil else {
            return [
                file.issue(
                    key: key + ["backend", "server"], "unknown MCP server '\(backend.server)' (not in mcpServers)")
            ]
        }
        return []
    }

    func mcpServerIssues(file: YAMLFile) -> [ConfigIssue] {
        metadata.mcpServers.sorted(by: { $0.key < $1.key }).flatMap { name, server in
            var problems = server.problems
            if !Self.isName(name) { problems.append("server names use letters, digits, '-' and '_'") }
            return problems.map { file.issue(key: ["mcpServers", name], $0) }
        }
    }
}
