import Foundation
import LoomConfig
import LoomContract

/// Commands run outside any transaction (a program cannot be rolled back), so the ledger
/// follows the capability's effect:
/// - `readOnly`: no ledger; every call runs.
/// - `idempotent`: the outcome is recorded after the run, and a repeat of the key gets it. A
///   crash before that leaves nothing recorded, and the repeat runs again, which is harmless.
/// - `irreversible`: two steps. Before the run, the key is recorded with the outcome "unknown";
///   after it, the real outcome replaces that. A crash in between leaves "unknown", and a repeat
///   of the key is told so instead of acting a second time. Its own failures are reported as
///   final: a timeout or a crash may have acted, so only the model or a person may try again.
extension ToolRunner {
    static let unknownOutcome = ToolCallResult.failure(
        "outcome_unknown",
        "an earlier attempt with this idempotency key started and the tools service stopped before it finished; "
            + "it is not run again, check the target system")

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
        guard capability.sideEffects else {
            return await commands.run(command, arguments: arguments, effect: .readOnly)
        }
        let key = request.idempotencyKey
        guard running.withLock({ $0.insert(key).inserted }) else {
            return .failure("in_progress", "a call with this idempotency key is running", retryable: true)
        }
        defer { _ = running.withLock { $0.remove(key) } }
        do {
            let records = records
            let earlier = try await records.store.write { db -> ToolCallResult? in
                if var outcome = try records.recordedOutcome(db, idempotencyKey: key) {
                    outcome.replayed = true
                    return outcome
                }
                if capability.effect == .irreversible {
                    try records.record(Self.unknownOutcome, db, idempotencyKey: key, capability: request.capability)
                }
                return nil
            }
            if let earlier { return earlier }
        } catch {
            return .failure("store_unavailable", "the record store could not be used: \(error)", retryable: true)
        }
        var outcome = await commands.run(command, arguments: arguments, effect: capability.effect)
        if capability.effect == .irreversible { outcome.retryable = false }
        // An idempotent call's retryable failure is not its outcome: the retry under the same
        // key must run it again, not be handed the failure.
        if outcome.retryable { return outcome }
        let settled = outcome
        do {
            try await records.store.write { db in
                try self.records.replace(settled, db, idempotencyKey: key, capability: request.capability)
            }
        } catch {
            // The program has run: its outcome is the answer. The ledger keeps "unknown" (or,
            // when idempotent, nothing), so a repeat of the key is refused or harmlessly run again.
            return outcome
        }
        if outcome.success { countPerformed() }
        return outcome
    }
}
