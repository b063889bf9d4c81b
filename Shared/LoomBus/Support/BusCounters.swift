import Synchronization

/// Counters a service exposes through its health query: rejected frames, resends, dead letters.
public final class BusCounters: Sendable {
    private let values = Mutex<[String: Int]>([:])

    public init() {}

    public func increment(_ name: String, by amount: Int = 1) {
        values.withLock { $0[name, default: 0] += amount }
    }

    public func snapshot() -> [String: Int] { values.withLock { $0 } }

    public subscript(_ name: String) -> Int { values.withLock { $0[name] ?? 0 } }
}
