import Foundation
import LoomConfig
import LoomContract

/// `command` capabilities: an external program run in a fresh sandbox; side-effecting ones go
/// through the two-step ledger (`ToolRunner+OutsideTransaction.swift`).
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
        return await runOutsideTransaction(capability, request) {
            await commands.run(command, arguments: arguments, sideEffects: capability.sideEffects)
        }
    }
}
