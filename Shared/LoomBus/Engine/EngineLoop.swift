import CZeroMQ
import Foundation
import Synchronization

/// The engine thread's private state: sockets and where their messages go. Only `run` touches it.
final class EngineLoop: @unchecked Sendable {
    private let context: ContextBox
    private let wakeFD: Int32
    /// The data sockets, shared with senders on other threads.
    private let registry: SocketRegistry
    private var sockets: [SocketHandle: (socket: SharedSocket, inbound: Inbound)] = [:]
    private let zap: ZAPHandler?
    private let refusals: BusRefusals
    private var monitors: [SocketHandle: [SocketMonitor]] = [:]
    /// At most this many messages are read from one socket per wake-up, so one busy peer
    /// cannot starve the others.
    private let readBatch = 256

    /// - Parameter zap: created on the caller's thread before the loop starts, so it is bound
    ///   before any server socket; from then on only the engine thread touches it.
    init(context: ContextBox, wakeFD: Int32, registry: SocketRegistry, zap: ZAPHandler?, refusals: BusRefusals) {
        self.context = context
        self.wakeFD = wakeFD
        self.registry = registry
        self.zap = zap
        self.refusals = refusals
    }

    func run(commands: CommandQueue) {
        var running = true
        // The signalling descriptors are edge-triggered: after reading, a socket that still
        // has input is read again at once instead of waiting for a signal that will not come.
        var inputWaiting = true
        while running {
            var descriptors = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            descriptors += sockets.values.map { pollfd(fd: $0.socket.signalFD, events: Int16(POLLIN), revents: 0) }
            let engineOnly = (zap.map { [$0.socket] } ?? []) + monitors.values.joined().map(\.pair)
            for socket in engineOnly {
                descriptors.append(pollfd(fd: (try? socket.signalDescriptor()) ?? -1, events: Int16(POLLIN), revents: 0))
            }
            // A bounded timeout is a safety net only; all real wake-ups come from sockets or the eventfd.
            let rc = poll(&descriptors, nfds_t(descriptors.count), inputWaiting ? 0 : 1000)
            if rc < 0 && errno != EINTR { usleep(1000) }
            if descriptors[0].revents != 0 {
                var counter: UInt64 = 0
                _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
            }
            inputWaiting = false
            // Handshakes wait on these answers; serve them before anything else.
            zap?.answerPending()
            for monitor in monitors.values.joined() { monitor.drain() }
            if engineOnly.contains(where: \.hasInput) { inputWaiting = true }
            for command in commands.drain() where running {
                running = execute(command)
            }
            guard running else { break }
            for (_, entry) in sockets {
                let (messages, more) = entry.socket.receive(upTo: readBatch)
                for message in messages { entry.inbound.yield(message) }
                if more { inputWaiting = true }
            }
        }
        for handle in Array(sockets.keys) { closeSocket(handle) }
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
                let shared: SharedSocket
                do {
                    shared = try SharedSocket(handle: handle, socket: socket)
                    try watch(socket, spec: spec, handle: handle, handshakes: handshakes)
                } catch {
                    socket.close()
                    throw error
                }
                sockets[handle] = (shared, inbound)
                registry.add(shared)
                opened.resume(returning: socket.boundEndpoints)
            } catch {
                inbound.finish()
                handshakes.finish()
                opened.resume(throwing: error)
            }
        case .close(let handle):
            closeSocket(handle)
        case .stop:
            return false
        }
        return true
    }

    /// Stops senders reaching the socket, then its monitors, then closes it.
    private func closeSocket(_ handle: SocketHandle) {
        registry.remove(handle)
        let watching = monitors.removeValue(forKey: handle) ?? []
        guard let entry = sockets.removeValue(forKey: handle) else {
            for monitor in watching { monitor.close() }
            return
        }
        entry.socket.close { _ in
            for monitor in watching { monitor.close() }
        }
        entry.inbound.finish()
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
        case .close, .stop:
            break
        }
    }
}
