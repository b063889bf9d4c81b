/// Decides which refusals go to the audit log: the first of each (peer, kind, reason) at
/// once, then at most one report per window carrying the count since the last one, so a
/// flood of forged frames is recorded without flooding the log.
public struct RefusalThrottle<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let window: Duration
    /// Keys tracked at most; beyond it the oldest is forgotten (its next refusal reports anew).
    public let capacity: Int
    private var entries: [Key: Entry] = [:]

    struct Key: Hashable, Sendable {
        var counted: String
        var kind: String
        var reason: String
    }

    struct Entry: Sendable {
        var reportedAt: Instant
        var suppressed: Int
    }

    public init(window: Duration = .seconds(60), capacity: Int = 1024) {
        self.window = window
        self.capacity = capacity
    }

    /// Returns the count to report now, or nil when this refusal only adds to the next report.
    public mutating func admit(_ refusal: BusRefusal, at now: Instant) -> Int? {
        let key = Key(counted: refusal.counted, kind: refusal.kind, reason: refusal.reason)
        guard var entry = entries[key] else {
            if entries.count >= capacity,
                let oldest = entries.min(by: { $0.value.reportedAt < $1.value.reportedAt })?.key
            {
                entries.removeValue(forKey: oldest)
            }
            entries[key] = Entry(reportedAt: now, suppressed: 0)
            return 1
        }
        guard entry.reportedAt.advanced(by: window) <= now else {
            entry.suppressed += 1
            entries[key] = entry
            return nil
        }
        let count = entry.suppressed + 1
        entries[key] = Entry(reportedAt: now, suppressed: 0)
        return count
    }
}
