import Foundation
import Synchronization

/// Everything a process's bus refused, counted per (peer, kind, reason) and passed on to
/// whoever reports refusals to the audit log. Callable from any thread, the engine's included.
public final class BusRefusals: Sendable {
    public let counters: BusCounters
    private let sink = Mutex<(@Sendable (BusRefusal) -> Void)?>(nil)

    public init(counters: BusCounters = BusCounters()) { self.counters = counters }

    /// Where refusals go from now on (the node's audit reporter).
    public func onRefusal(_ handler: @escaping @Sendable (BusRefusal) -> Void) {
        sink.withLock { $0 = handler }
    }

    /// - Parameters:
    ///   - peer: who, for the audit log.
    ///   - counted: who, for the counter name: an authenticated identity, or a fixed word for
    ///     peers without one, so an attacker cycling keys cannot grow the counters.
    func refuse(peer: String, counted: String, kind: String, reason: String) {
        counters.increment("refused.\(reason)")
        counters.increment("refused.\(reason).\(counted).\(kind)")
        let handler = sink.withLock { $0 }
        handler?(BusRefusal(peer: peer, counted: counted, kind: kind, reason: reason))
    }
}

/// One refused frame or connection.
public struct BusRefusal: Sendable, Hashable {
    public var peer: String
    /// The bounded name the refusal is counted and throttled under.
    public var counted: String
    public var kind: String
    public var reason: String

    public init(peer: String, counted: String, kind: String, reason: String) {
        self.peer = peer
        self.counted = counted
        self.kind = kind
        self.reason = reason
    }
}
