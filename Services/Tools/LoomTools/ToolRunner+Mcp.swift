import Foundation
import LoomConfig
import LoomContract

/// `mcp` capabilities: a `tools/call` to the named server's tool. MCP tool annotations
/// (`readOnlyHint`, `idempotentHint`, `destructiveHint`) are the server's word and only
/// informative: the admin's `sideEffects` decides, and side-effecting calls go through the same
/// ledger as side-effecting commands (``ToolRunner/runOutside(_:_:act:)``).
extension ToolRunner {
    func runMcp(
        _ capability: CapabilityDefinition, _ request: ToolCallRequest, arguments: [String: JSONValue]
    ) async -> ToolCallResult {
        guard let mcp else {
            return .failure("not_executable", "MCP tools are not available in this tools service")
        }
        guard let backend = try? McpBackend(backend: capability.backend) else {
            return .failure("not_executable", "'\(request.capability)' names no MCP server and tool")
        }
        return await runOutside(capability, request) { await mcp.call(backend, arguments: arguments, sideEffects: $0) }
    }
}
