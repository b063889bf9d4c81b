import Foundation
import Logging
import LoomConfig
import LoomContract
import MCP
import ServiceLifecycle

/// Runs `mcp` capabilities: one supervisor per declared server, each keeping its server running
/// and listed; a call goes to the tool the capability names, if the server offers it now.
final class McpTools: Sendable {
    let supervisors: [String: McpServerSupervisor]

    init(supervisors: [String: McpServerSupervisor]) {
        self.supervisors = supervisors
    }

    /// The servers of `metadata`, started in the sandbox `host` describes.
    convenience init(metadata: LoomMetadata, host: SandboxPlan.Host, environment: [String: String], logger: Logger) {
        var supervisors: [String: McpServerSupervisor] = [:]
        for (name, server) in metadata.mcpServers {
            let exposed = Set(McpExposure.backends(of: name, metadata.capabilities).values.map(\.tool))
            supervisors[name] = McpServerSupervisor(name: name) {
                let connection = try await McpConnection.open(
                    name, server, host: host, environment: environment, logger: logger)
                let listed = await connection.tools().map(\.name)
                let missing = exposed.subtracting(listed).sorted()
                let note = missing.isEmpty ? "" : "; named but not offered: \(missing.joined(separator: ", "))"
                logger.info("MCP server '\(name)' is up; offers \(listed.count) tool(s)\(note)")
                return connection
            }
        }
        self.init(supervisors: supervisors)
    }

    func call(_ backend: McpBackend, arguments: [String: JSONValue], sideEffects: Bool) async -> ToolCallResult {
        guard let supervisor = supervisors[backend.server] else {
            return .failure("not_executable", "there is no MCP server '\(backend.server)'")
        }
        let session: any McpSession
        switch await supervisor.session() {
        case .success(let live): session = live
        case .failure(let down): return McpResultMapping.unavailable(backend.server, down.reason)
        }
        guard let tool = McpExposure.tool(backend.tool, in: await session.tools()) else {
            return .failure(
                "tool_unavailable", "the MCP server '\(backend.server)' does not offer '\(backend.tool)' now")
        }
        // The server's own schema is checked too: the metadata may lag behind the server.
        let inputSchema = McpValue.json(tool.inputSchema)
        if JSONSchema(inputSchema).problems().isEmpty,
            case .failure(let violations) = JSONSchema(inputSchema).validate(.object(arguments))
        {
            return .failure(
                "invalid_arguments", violations.description,
                guidance: "call the tool again with arguments that match its parameters")
        }
        return await session.call(
            backend.tool, arguments: arguments.mapValues(McpValue.value), sideEffects: sideEffects)
    }

    /// The supervisors as one service: they run until graceful shutdown, then stop their servers.
    var service: any Service { McpToolsService(supervisors: Array(supervisors.values)) }
}

private struct McpToolsService: Service {
    let supervisors: [McpServerSupervisor]

    /// Returns at graceful shutdown (or cancellation), never before, even with no server: a
    /// service that returns ends the process.
    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for supervisor in supervisors { group.addTask { await supervisor.run() } }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
