import Foundation
import LoomConfig
import LoomContract

/// `mcp` capabilities: a `tools/call` to the named server's tool. MCP tool annotations
/// (`readOnlyHint`, `idempotentHint`, `destructiveHint`) are the server's word and only
/// informative: the admin's `effect` decides, and calls go through the same ledger as commands
/// (``ToolRunner/oncePerKey(_:effect:act:)``).
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
        // A call lost without an answer may have acted: only an irreversible one must say so
        // rather than be tried again.
        let irreversible = capability.effect == .irreversible
        return await oncePerKey(request, effect: capability.effect) {
            await mcp.call(backend, arguments: arguments, sideEffects: irreversible)
        }
    }
}
