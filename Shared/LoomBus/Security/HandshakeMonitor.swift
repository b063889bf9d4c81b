import CZeroMQ
import Foundation

extension SocketMonitor {
    /// Handshakes on a CURVE server that fail before ZAP is even asked (a client with no key, or
    /// one speaking another mechanism), so those attempts are counted and audited like the keys
    /// ZAP turns away.
    static func failedHandshakes(
        context: UnsafeMutableRawPointer, watching socket: ZMQSocket, id: Int, refusals: BusRefusals
    ) throws(ZMQError) -> SocketMonitor {
        try SocketMonitor(
            context: context, watching: socket, endpoint: "inproc://loom-handshakes-\(id)",
            events: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            onEvent: { event in
                guard let first = event.first, first.count >= 2 else { return }
                // Either event (protocol error, or none given) is one handshake that never
                // authenticated; which one libzmq reports for a keyless client depends on timing.
                let endpoint = event.count > 1 ? String(decoding: event[1], as: UTF8.self) : "?"
                refusals.refuse(
                    peer: "a client of \(endpoint) without a CURVE key", counted: "unkeyed", kind: "connection",
                    reason: "handshake")
            })
    }
}
