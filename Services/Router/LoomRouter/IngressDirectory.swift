import Foundation
import LoomBus
import Synchronization

/// The ingress instances that have shown themselves recently, so asynchronous channel replies
/// go to one that is alive.
///
/// Instances announce themselves every few seconds and by every message they deliver. A reply
/// is given to the same instance on every attempt while that instance stays live (its in-memory
/// send record then absorbs a resend), and moves to another once it is gone.
final class IngressDirectory: Sendable {
    private let lastSeen = Mutex<[String: ContinuousClock.Instant]>([:])
    /// An instance silent for this long is treated as gone.
    let liveness: Duration

    init(liveness: Duration = .seconds(12)) { self.liveness = liveness }

    func saw(_ instance: String) {
        lastSeen.withLock { $0[instance] = .now }
    }

    /// An instance the bus could not reach is gone until it shows itself again.
    func forget(_ instance: String) {
        _ = lastSeen.withLock { $0.removeValue(forKey: instance) }
    }

    var live: [String] {
        let cutoff = ContinuousClock.now - liveness
        return lastSeen.withLock { seen in seen.filter { $0.value > cutoff }.map(\.key) }.sorted()
    }

    /// A live instance for `messageId`, the same one for as long as the live set is unchanged.
    func choose(for messageId: String) -> PeerAddress? {
        let live = live
        guard !live.isEmpty else { return nil }
        let hash = messageId.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return .client(live[Int(hash % UInt64(live.count))])
    }
}
