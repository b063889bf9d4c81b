import Foundation
import LoomBus
import LoomContract
import Synchronization

/// Sends the pieces of a streamed answer to the caller of the completion, numbered, as they
/// arrive. Pieces are sent once, without custody: the whole answer follows in the reply, so a
/// lost piece costs the reader a moment of smoothness, not text.
final class DeltaSender: Sendable {
    let node: BusNode
    let caller: PeerAddress
    let executionId: String
    let requestId: String
    private let next = Mutex<Int>(0)

    init(node: BusNode, caller: PeerAddress, executionId: String, requestId: String) {
        self.node = node
        self.caller = caller
        self.executionId = executionId
        self.requestId = requestId
    }

    var sentAny: Bool { next.withLock { $0 > 0 } }

    func send(_ text: String) async {
        let index = next.withLock { value in
            defer { value += 1 }
            return value
        }
        let delta = CompletionDelta(executionId: executionId, requestId: requestId, index: index, text: text)
        let envelope = Envelope(id: MessageID.derived("delta", from: requestId, "\(index)"), correlation: Correlation(), body: delta)
        guard let data = try? node.codec.encode(envelope) else { return }
        _ = await node.deliver(encoded: data, to: caller)
    }
}
