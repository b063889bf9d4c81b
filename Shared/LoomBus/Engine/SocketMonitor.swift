import CZeroMQ
import Foundation

/// A libzmq socket monitor: the watched socket reports the chosen events on an inproc PAIR
/// that the engine loop polls and drains. Engine-thread only, like the socket it watches.
final class SocketMonitor {
    let pair: ZMQSocket
    private let watched: UnsafeMutableRawPointer
    /// One event: a 6-byte frame (event number, value) and the endpoint.
    private let onEvent: ([Data]) -> Void
    private let onClose: () -> Void

    init(
        context: UnsafeMutableRawPointer, watching socket: ZMQSocket, endpoint: String, events: Int32,
        onEvent: @escaping ([Data]) -> Void, onClose: @escaping () -> Void = {}
    ) throws(ZMQError) {
        guard zmq_socket_monitor(socket.handle, endpoint, events) == 0 else { throw .last("zmq_socket_monitor") }
        watched = socket.handle
        self.onEvent = onEvent
        self.onClose = onClose
        do {
            pair = try ZMQSocket(context: context, spec: SocketSpec(kind: .pair, connect: [endpoint]))
        } catch {
            zmq_socket_monitor(socket.handle, nil, 0)
            throw error
        }
    }

    /// Reads every waiting event.
    func drain() {
        while let event = pair.receive() { onEvent(event) }
    }

    /// Stops the monitor before the watched socket closes.
    func close() {
        zmq_socket_monitor(watched, nil, 0)
        pair.close()
        onClose()
    }
}

extension SocketMonitor {
    /// Completed handshakes on a link, one event each, so the node learns when a peer it talks
    /// to is reachable again (its restart, or the network coming back) and can resend what was
    /// in flight at once instead of waiting out each call's timeout.
    static func completedHandshakes(
        context: UnsafeMutableRawPointer, watching socket: ZMQSocket, id: Int, sink: AsyncStream<Void>.Continuation
    ) throws(ZMQError) -> SocketMonitor {
        try SocketMonitor(
            context: context, watching: socket, endpoint: "inproc://loom-connections-\(id)",
            events: ZMQ_EVENT_HANDSHAKE_SUCCEEDED, onEvent: { _ in sink.yield() }, onClose: { sink.finish() })
    }
}
