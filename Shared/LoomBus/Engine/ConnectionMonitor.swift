import CZeroMQ
import Foundation

/// Watches a link for completed handshakes, so the node learns when a peer it talks to is
/// reachable again (its restart, or the network coming back) and can resend what was in
/// flight at once instead of waiting out each call's timeout. Engine-thread only.
final class ConnectionMonitor {
    let pair: ZMQSocket
    private let watched: UnsafeMutableRawPointer
    private let sink: AsyncStream<Void>.Continuation

    init(
        context: UnsafeMutableRawPointer, watching socket: ZMQSocket, id: Int, sink: AsyncStream<Void>.Continuation
    ) throws(ZMQError) {
        let endpoint = "inproc://loom-connections-\(id)"
        guard zmq_socket_monitor(socket.handle, endpoint, ZMQ_EVENT_HANDSHAKE_SUCCEEDED) == 0 else {
            throw .last("zmq_socket_monitor")
        }
        watched = socket.handle
        self.sink = sink
        do {
            pair = try ZMQSocket(context: context, spec: SocketSpec(kind: .pair, connect: [endpoint]))
        } catch {
            zmq_socket_monitor(socket.handle, nil, 0)
            throw error
        }
    }

    /// Reports one event per completed handshake.
    func drain() {
        while pair.receive() != nil { sink.yield() }
    }

    /// Stops the monitor before the watched socket closes.
    func close() {
        zmq_socket_monitor(watched, nil, 0)
        pair.close()
        sink.finish()
    }
}
