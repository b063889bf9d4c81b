import Foundation
import LoomConfig
import LoomContract

/// `command` capabilities: each call a fresh sandboxed program; side-effecting ones at most
/// once per idempotency key (``ToolRunner/runOutside(_:_:act:)``).
extension ToolRunner {
    func runCommand(
        _ capability: CapabilityDefinition, _ request: ToolCallRequest, arguments: JSONValue
    ) async -> ToolCallResult {
        guard let commands else {
            return .failure("not_executable", "command tools are not available in this tools service")
        }
        let command: CommandBackend
        do {
            command = try CommandBackend(backend: capability.backend)
        } catch {
            return .failure("not_executable", "'\(request.capability)' has no runnable backend: \(error)")
        }
        return await runOutside(capability, request) {
            await commands.run(command, arguments: arguments, sideEffects: $0)
        }
    }
}
