import Foundation
import LoomConfig
import LoomContract

/// Actions outside any transaction (a program, an MCP server, an HTTP call, an e-mail cannot
/// be rolled back) reach the ledger by the capability's effect:
/// - `readOnly`: no ledger; every call acts.
/// - `idempotent`: the outcome is recorded after acting, and a repeat of the key gets it. A
///   crash before that leaves nothing recorded, and the repeat acts again, which is harmless.
/// - `irreversible`: two steps. Before acting, the key is recorded with the outcome "unknown";
///   after it, the real outcome replaces that. A crash in between leaves "unknown", and a repeat
///   of the key is told so instead of acting a second time.
///
/// An action marks a failure retryable only when it did nothing (nothing was sent, or the target
/// says nothing happened); a timeout or a crash that may have acted is never retryable for an
/// irreversible call. A retryable failure leaves the key free, so a retry under it acts again.
extension ToolRunner {
    static let unknownOutcome = ToolCallResult.failure(
        "outcome_unknown",
        "an earlier attempt with this idempotency key started and the tools service stopped before it finished; "
            + "it is not run again, check the target system")

    /// Runs `act` as `effect` allows for the request's idempotency key. A repeat of a key that
    /// is running now (the caller resending while a slow tool works) waits for that run's
    /// outcome instead of starting another.
    func oncePerKey(
        _ request: ToolCallRequest, effect: CapabilityDefinition.Effect,
        act: @escaping @Sendable () async -> ToolCallResult
    ) async -> ToolCallResult {
        let key = request.idempotencyKey
        let (run, started) = running.withLock { running -> (Task<ToolCallResult, Never>, Bool) in
            if let run = running[key] { return (run, false) }
            let run = Task { await self.recorded(request, effect: effect, act: act) }
            running[key] = run
            return (run, true)
        }
        let outcome = await run.value
        if started { _ = running.withLock { $0.removeValue(forKey: key) } }
        return outcome
    }

    private func recorded(
        _ request: ToolCallRequest, effect: CapabilityDefinition.Effect, act: () async -> ToolCallResult
    ) async -> ToolCallResult {
        guard effect != .readOnly else { return await act() }
        let key = request.idempotencyKey
        do {
            let records = records
            let earlier = try await records.store.write { db -> ToolCallResult? in
                if var outcome = try records.recordedOutcome(db, idempotencyKey: key) {
                    outcome.replayed = true
                    return outcome
                }
                if effect == .irreversible {
                    try records.record(Self.unknownOutcome, db, idempotencyKey: key, capability: request.capability)
                }
                return nil
            }
            if let earlier { return earlier }
        } catch {
            return .failure("store_unavailable", "the record store could not be used: \(error)", retryable: true)
        }
        let outcome = await act()
        do {
            try await records.store.write { db in
                if !outcome.success && outcome.retryable {
                    // A retryable failure did nothing (nothing was sent, the target says nothing
                    // happened): it is not the key's outcome, and the retry under it acts again.
                    try self.records.forget(db, idempotencyKey: key)
                } else {
                    try self.records.replace(outcome, db, idempotencyKey: key, capability: request.capability)
                }
            }
        } catch {
            // It has acted: its outcome is the answer. The ledger keeps "unknown" (or, when
            // idempotent, nothing), so a repeat of the key is refused or harmlessly acts again.
            return outcome
        }
        if outcome.success { countPerformed() }
        return outcome
    }
}
