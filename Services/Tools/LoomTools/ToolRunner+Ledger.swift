import Foundation
import LoomConfig
import LoomContract

/// Side effects outside any transaction (a program or an MCP server cannot be rolled back)
/// reach the ledger in two steps: before acting, the key is recorded with the outcome
/// "unknown"; after it, the real outcome replaces that. A crash in between leaves "unknown",
/// and a repeat of the key is told so instead of acting a second time.
extension ToolRunner {
    static let unknownOutcome = ToolCallResult.failure(
        "outcome_unknown",
        "an earlier attempt with this idempotency key started and the tools service stopped before it finished; "
            + "it is not run again, check the target system")

    /// Runs an action outside any transaction: directly when the capability has no side effects,
    /// else at most once per key. `act` is told whether the call has side effects.
    func runOutside(
        _ capability: CapabilityDefinition, _ request: ToolCallRequest,
        act: (_ sideEffects: Bool) async -> ToolCallResult
    ) async -> ToolCallResult {
        guard capability.sideEffects else { return await act(false) }
        return await oncePerKey(request) { await act(true) }
    }

    /// Runs `act` at most once per idempotency key; a repeat gets the recorded outcome.
    func oncePerKey(_ request: ToolCallRequest, act: () async -> ToolCallResult) async -> ToolCallResult {
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
                try records.record(Self.unknownOutcome, db, idempotencyKey: key, capability: request.capability)
                return nil
            }
            if let earlier { return earlier }
        } catch {
            return .failure("store_unavailable", "the record store could not be used: \(error)", retryable: true)
        }
        let outcome = await act()
        do {
            try await records.store.write { db in try self.records.replace(outcome, db, idempotencyKey: key) }
        } catch {
            // It has acted: its outcome is the answer. The ledger keeps "unknown", so a repeat
            // of the key is refused rather than run twice.
            return outcome
        }
        if outcome.success { countPerformed() }
        return outcome
    }
}
