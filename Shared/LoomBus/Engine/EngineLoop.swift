import CZeroMQ
import Foundation
import Synchronization

/// The engine thread's private state: sockets and where their messages go. Only `run` touches it.
final class EngineLoop: @unchecked Sendable {
    private let context: ContextBox
    private let wakeFD: Int32
    private var sockets: [SocketHandle: (socket: ZMQSocket, inbound: Inbound)] = [:]
    private let zap: ZAPHandler?
    private let refusals: BusRefusals
    private var monitors: [SocketHandle: [SocketMonitor]] = [:]
    /// At most this many messages are read from one socket per wake-up, so one busy peer
    /// cannot starve the others.
    private let readBatch = 256

    /// - Parameter zap: created on the caller's thread before the loop starts, so it is bound
    ///   before any server socket; from then on only the engine thread touches it.
    init(context: ContextBox, wakeFD: Int32, zap: ZAPHandler?, refusals: BusRefusals) {
        self.context = context
        self.wakeFD = wakeFD
        self.zap = zap
        self.refusals = refusals
    }

    func run(commands: CommandQueue) {
        var running = true
        while running {
            var order = Array(sockets.keys)
            var items = order.map { zmq_pollitem_t(socket: sockets[$0]!.socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
            if let zap { items.append(zmq_pollitem_t(socket: zap.socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)) }
            for pair in monitors.values.joined().map(\.pair) {
                items.append(zmq_pollitem_t(socket: pair.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
            }
            items.append(zmq_pollitem_t(socket: nil, fd: wakeFD, events: Int16(ZMQ_POLLIN), revents: 0))
            // A bounded timeout is a safety net only; all real wake-ups come from sockets or the eventfd.
            let rc = zmq_poll(&items, Int32(items.count), 1000)
            if rc < 0 && zmq_errno() != EINTR { usleep(1000) }

            if items[items.count - 1].revents != 0 {
                var counter: UInt64 = 0
                _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
            }
            // Handshakes wait on these answers; serve them before anything else.
            zap?.answerPending()
            for monitor in monitors.values.joined() { monitor.drain() }
            let pending = commands.drain()
            for command in pending where running {
                running = execute(command)
            }
            guard running else { break }
            order = order.filter { sockets[$0] != nil }
            for handle in order {
                guard let entry = sockets[handle] else { continue }
                var read = 0
                while read < readBatch, let message = entry.socket.receiveMessage() {
                    entry.inbound.yield(message)
                    read += 1
                }
            }
        }
        for monitor in monitors.values.joined() { monitor.close() }
        monitors.removeAll()
        for (_, entry) in sockets {
            entry.socket.close()
            entry.inbound.finish()
        }
        sockets.removeAll()
        zap?.socket.close()
        // Drain commands that raced with the stop so no caller waits forever.
        for command in commands.drain() {
            reject(command)
        }
        while zmq_ctx_term(context.pointer) != 0 && zmq_errno() == EINTR {}
    }

    /// Executes one command; returns false when the engine must stop.
    private func execute(_ command: BusEngine.Command) -> Bool {
        switch command {
        case .open(let spec, let handle, let inbound, let handshakes, let opened):
            do {
                let socket = try ZMQSocket(context: context.pointer, spec: spec)
                do {
                    try watch(socket, spec: spec, handle: handle, handshakes: handshakes)
                } catch {
                    socket.close()
                    throw error
                }
                sockets[handle] = (socket, inbound)
                opened.resume(returning: socket.boundEndpoints)
            } catch {
                inbound.finish()
                handshakes.finish()
                opened.resume(throwing: error)
            }
        case .send(let handle, let frames, let done):
            let outcome = sockets[handle]?.socket.send(frames) ?? .failed(ZMQError(code: ENOTSOCK, operation: "send"))
            done?(outcome)
        case .close(let handle):
            for monitor in monitors.removeValue(forKey: handle) ?? [] { monitor.close() }
            if let entry = sockets.removeValue(forKey: handle) {
                entry.socket.close()
                entry.inbound.finish()
            }
        case .stop:
            return false
        }
        return true
    }

    /// Starts the monitors a socket asked for: failed handshakes on a CURVE server, completed
    /// ones on a link that reports them.
    private func watch(
        _ socket: ZMQSocket, spec: SocketSpec, handle: SocketHandle, handshakes: AsyncStream<Void>.Continuation
    ) throws(ZMQError) {
        var started: [SocketMonitor] = []
        do {
            if case .server = spec.curve {
                started.append(
                    try .failedHandshakes(context: context.pointer, watching: socket, id: handle.id, refusals: refusals))
            }
            if spec.reportsHandshakes {
                started.append(
                    try .completedHandshakes(context: context.pointer, watching: socket, id: handle.id, sink: handshakes))
            } else {
                handshakes.finish()
            }
        } catch {
            for monitor in started { monitor.close() }
            throw error
        }
        if !started.isEmpty { monitors[handle] = started }
    }

    private func reject(_ command: BusEngine.Command) {
        switch command {
        case .open(_, _, let inbound, let handshakes, let opened):
            inbound.finish()
            handshakes.finish()
            opened.resume(throwing: ZMQError(code: ETERM, operation: "open"))
        case .send(_, _, let done):
            done?(.failed(ZMQError(code: ETERM, operation: "send")))
        case .close, .stop:
            break
        }
    }
}
