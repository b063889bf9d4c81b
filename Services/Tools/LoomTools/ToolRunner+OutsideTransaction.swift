import Foundation
import LoomConfig
import LoomContract

/// Side effects that happen outside the record store (a program, an HTTP call, an e-mail) can
/// be neither rolled back nor committed with their ledger entry, so the ledger learns of them
/// in two steps: before acting, the key is recorded with the outcome "unknown"; after, the real
/// outcome replaces it. A crash in between leaves "unknown", and a repeat of the key is told
/// so instead of acting a second time.
///
/// A retryable failure is one that did nothing (nothing was sent, or the target says nothing
/// happened): its entry is dropped so a retry under the same key acts again. Everything else,
/// success or not, answers every repeat of the key.
extension ToolRunner {
    static let unknownOutcome = ToolCallResult.failure(
        "outcome_unknown",
        "an earlier attempt with this idempotency key started and the tools service stopped before it finished; "
            + "it is not run again, check the target system")

    /// Whether a call of this capability may be repeated when its outcome is unknown. Until
    /// capabilities declare an effect class, callouts and e-mails count as irreversible.
    static func isIrreversible(_ capability: CapabilityDefinition) -> Bool {
        capability.sideEffects && (capability.action.map(CapabilityDefinition.outsideActions.contains) ?? false)
    }

    func runOutsideTransaction(
        _ capability: CapabilityDefinition, _ request: ToolCallRequest, perform: () async -> ToolCallResult
    ) async -> ToolCallResult {
        guard capability.sideEffects else { return await perform() }
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
        let outcome = await perform()
        do {
            try await records.store.write { db in
                if !outcome.success && outcome.retryable {
                    try self.records.forget(db, idempotencyKey: key)
                } else {
                    try self.records.replace(outcome, db, idempotencyKey: key)
                }
            }
        } catch {
            // It has acted: its outcome is the answer. The ledger keeps "unknown", so a repeat of
            // the key is refused rather than run twice.
            return outcome
        }
        if outcome.success { countPerformed() }
        return outcome
    }
}
