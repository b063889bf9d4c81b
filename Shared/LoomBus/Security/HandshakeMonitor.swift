import CZeroMQ
import Foundation

/// Watches a CURVE server socket for handshakes that fail before ZAP is even asked (a client
/// with no key, or one speaking another mechanism), so those attempts are counted and audited
/// like the keys ZAP turns away. Engine-thread only, like the socket it watches.
final class HandshakeMonitor {
    let pair: ZMQSocket
    private let watched: UnsafeMutableRawPointer
    private let refusals: BusRefusals

    init(
        context: UnsafeMutableRawPointer, watching socket: ZMQSocket, id: Int, refusals: BusRefusals
    ) throws(ZMQError) {
        let endpoint = "inproc://loom-handshakes-\(id)"
        let events = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        guard zmq_socket_monitor(socket.handle, endpoint, events) == 0 else { throw .last("zmq_socket_monitor") }
        watched = socket.handle
        self.refusals = refusals
        do {
            pair = try ZMQSocket(context: context, spec: SocketSpec(kind: .pair, connect: [endpoint]))
        } catch {
            zmq_socket_monitor(socket.handle, nil, 0)
            throw error
        }
    }

    /// Reads every waiting event: a 6-byte frame (event number, value) and the endpoint.
    func drain() {
        while let event = pair.receive() {
            guard let first = event.first, first.count >= 2 else { continue }
            // Either event (protocol error, or none given) is one handshake that never authenticated;
            // which one libzmq reports for a keyless client depends on timing.
            let endpoint = event.count > 1 ? String(decoding: event[1], as: UTF8.self) : "?"
            refusals.refuse(
                peer: "a client of \(endpoint) without a CURVE key", counted: "unkeyed", kind: "connection",
                reason: "handshake")
        }
    }

    /// Stops the monitor before the watched socket closes.
    func close() {
        zmq_socket_monitor(watched, nil, 0)
        pair.close()
    }
}
