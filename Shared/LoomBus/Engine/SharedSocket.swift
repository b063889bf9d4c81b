import CZeroMQ
import Foundation
import Synchronization

/// A data socket that any thread may send on, one at a time, while the engine thread reads it.
///
/// libzmq sockets are not thread-safe, but one may pass between threads under a lock. A caller
/// sends on its own thread instead of handing the frames to the engine thread and waking it:
/// a hand-off fewer for every request, reply and ACK. The engine never sits inside libzmq on
/// the socket: it waits in `poll(2)` on the socket's signalling descriptor (`ZMQ_FD`), which
/// is edge-triggered, so whoever touched the socket last checks whether input is waiting.
final class SharedSocket: Sendable {
    let handle: SocketHandle
    /// `ZMQ_FD`: readable when the socket has news; constant for the socket's life.
    let signalFD: Int32
    private let socket: Mutex<ZMQSocket?>

    init(handle: SocketHandle, socket: ZMQSocket) throws(ZMQError) {
        self.handle = handle
        signalFD = try socket.signalDescriptor()
        self.socket = Mutex(socket)
    }

    /// Sends a whole message; `inputWaiting` says the send took in news of input that the
    /// signalling descriptor will not report again.
    func send(_ frames: [Data]) -> (outcome: SendOutcome, inputWaiting: Bool) {
        socket.withLock { socket in
            guard let socket else { return (.failed(ZMQError(code: ENOTSOCK, operation: "send")), false) }
            let outcome = socket.send(frames)
            return (outcome, socket.hasInput)
        }
    }

    /// Reads up to `limit` messages; `more` says input is still waiting after them.
    func receive(upTo limit: Int) -> (messages: [ReceivedMessage], more: Bool) {
        socket.withLock { socket in
            guard let socket else { return ([], false) }
            var messages: [ReceivedMessage] = []
            while messages.count < limit, let message = socket.receiveMessage() { messages.append(message) }
            return (messages, socket.hasInput)
        }
    }

    /// Closes the socket after `beforeClosing` (its monitors stop); later sends fail.
    func close(_ beforeClosing: (ZMQSocket) -> Void = { _ in }) {
        socket.withLock { socket in
            guard let open = socket else { return }
            beforeClosing(open)
            open.close()
            socket = nil
        }
    }
}

/// The data sockets by handle, for senders on any thread.
final class SocketRegistry: Sendable {
    private let sockets = Mutex<[SocketHandle: SharedSocket]>([:])

    func add(_ socket: SharedSocket) { sockets.withLock { $0[socket.handle] = socket } }

    func remove(_ handle: SocketHandle) { _ = sockets.withLock { $0.removeValue(forKey: handle) } }

    subscript(handle: SocketHandle) -> SharedSocket? { sockets.withLock { $0[handle] } }
}
