import LoomBus
import LoomContract

/// The orchestrator's decisions, written to the trust service's audit log. Each entry's
/// request id comes from the execution and a key, so a turn driven again (after a restart or
/// an approval) writes each entry once.
struct AuditTrail: Sendable {
    let node: BusNode
    let callTimeout: Duration

    func append(
        _ category: String, subject: String, detail: [String: String], executionId: String, key: String, correlation: Correlation = Correlation()
    ) async throws {
        _ = try await node.call(
            AuditAppend(category: category, executionId: executionId, subject: subject, detail: detail), to: .peer("trust"),
            expecting: AuditAppended.self, requestId: "\(executionId):audit:\(key)", correlation: correlation, timeout: callTimeout, attempts: 3)
    }
}
