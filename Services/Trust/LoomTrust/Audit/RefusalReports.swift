import LoomBus
import LoomContract
import Synchronization

/// What trust accepts of the services' refusal reports: only the kinds and reasons a bus
/// refuses, the peer cut to a sane length, and per reporter at most one entry a minute for
/// each (kind, reason), so a stolen service key can neither flood the audit log nor fill it
/// with pages of text. Each suppressed report adds one to the next entry's count.
final class RefusalReports: Sendable {
    private let throttle = Mutex(RefusalThrottle<ContinuousClock.Instant>())

    static let reasons: Set<String> = [
        "forbidden", "routing_id_mismatch", "unknown_key", "mechanism", "handshake", "unauthenticated", "role_not_admitted",
    ]
    static let kinds = Set(MessageKind.allCases.map(\.rawValue) + ["connection", "frame"])

    /// Whether the report names a kind and a reason a bus can refuse.
    static func isWellFormed(_ report: BusRefusalReport) -> Bool {
        reasons.contains(report.reason) && kinds.contains(report.refusedKind)
    }

    /// The report to record now, trimmed; nil when it only adds to a later report's count.
    func admit(_ report: BusRefusalReport, reporter: String, at now: ContinuousClock.Instant = .now) -> BusRefusalReport? {
        var trimmed = BusRefusalReport(
            peer: String(report.peer.prefix(200)), refusedKind: String(report.refusedKind.prefix(64)),
            reason: String(report.reason.prefix(64)), count: max(1, min(report.count, 1_000_000)))
        let key = BusRefusal(
            peer: trimmed.peer, counted: String(reporter.prefix(64)), kind: trimmed.refusedKind, reason: trimmed.reason)
        guard let folded = throttle.withLock({ $0.admit(key, at: now) }) else { return nil }
        trimmed.count = folded == 1 ? trimmed.count : trimmed.count + folded - 1
        return trimmed
    }
}
