import CZeroMQ
import LoomContract
import Foundation
import Synchronization

/// Owns the process's ZeroMQ context and every socket on one dedicated thread.
///
/// libzmq sockets are not thread-safe, and a blocking poll must never tie up a thread of
/// Swift's cooperative pool. Async code hands commands to the engine through a mutex-guarded
/// queue and wakes its `zmq_poll` through an eventfd; inbound messages come back on one
/// `AsyncStream` per socket. Idle, the thread sleeps in `zmq_poll`.
public final class BusEngine: Sendable {
    private let commands = CommandQueue()
    private let wakeFD: Int32
    private let stopped = DispatchSemaphore(value: 0)
    private let state = Mutex<LifecycleState>(.running)
    private let nextSocketId = Atomic<Int>(1)
    /// How this process authenticates and is authenticated on the bus.
    public let security: BusSecurity
    /// What this process's bus refused (ZAP and the nodes share it).
    public let refusals: BusRefusals

    private enum LifecycleState { case running, stopping, stopped }

    enum Command: @unchecked Sendable {
        case open(
            SocketSpec, SocketHandle, Inbound, AsyncStream<Void>.Continuation, CheckedContinuation<[String], any Error>)
        /// The completion runs on the engine thread, right after libzmq took (or refused) the frames.
        case send(SocketHandle, [Data], (@Sendable (SendOutcome) -> Void)?)
        case close(SocketHandle)
        case stop
    }

    /// - Parameter security: with CURVE, the engine runs the process's ZAP handler before any
    ///   socket opens; insecure engines are for the bus's own tests and `bus.insecure: true`.
    public init(
        name: String = "loom-bus", security: BusSecurity = .insecure(BusIdentity(role: .operator, instance: "anonymous"))
    ) throws {
        self.security = security
        refusals = BusRefusals()
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: errno, operation: "eventfd") }
        guard let context = zmq_ctx_new() else {
            Glibc.close(fd)
            throw ZMQError.last("zmq_ctx_new")
        }
        wakeFD = fd
        let zap: ZAPHandler?
        do {
            zap = try security.roster.map { try ZAPHandler(context: context, roster: $0, refusals: refusals) }
        } catch {
            zmq_ctx_term(context)
            Glibc.close(fd)
            throw error
        }
        let loop = EngineLoop(context: ContextBox(context), wakeFD: fd, zap: zap, refusals: refusals)
        let thread = Thread { [commands, stopped] in
            loop.run(commands: commands)
            stopped.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Opens a socket on the engine thread; returns it with the endpoints it actually bound
    /// (a `tcp://127.0.0.1:*` bind reports the chosen port). Its messages arrive on
    /// ``OpenedSocket/messages``.
    public func open(_ spec: SocketSpec) async throws -> OpenedSocket {
        let (stream, continuation) = AsyncStream<ReceivedMessage>.makeStream(bufferingPolicy: .unbounded)
        return try await open(spec, inbound: .stream(continuation), messages: stream)
    }

    /// Opens a socket whose messages go to `receiver` on the engine thread, without a hand-off:
    /// each one as it is read, then nil once when the socket closes. The receiver holds up
    /// every socket while it runs, so it only sorts frames and starts work elsewhere.
    public func open(_ spec: SocketSpec, receiver: @escaping @Sendable (ReceivedMessage?) -> Void) async throws -> OpenedSocket {
        let (stream, continuation) = AsyncStream<ReceivedMessage>.makeStream()
        continuation.finish()
        return try await open(spec, inbound: .receiver(receiver), messages: stream)
    }

    private func open(_ spec: SocketSpec, inbound: Inbound, messages: AsyncStream<ReceivedMessage>) async throws -> OpenedSocket {
        let handle = SocketHandle(id: nextSocketId.wrappingAdd(1, ordering: .relaxed).oldValue)
        let (handshakes, handshakeSink) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let endpoints = try await withCheckedThrowingContinuation { (opened: CheckedContinuation<[String], any Error>) in
            if !submit(.open(spec, handle, inbound, handshakeSink, opened)) {
                inbound.finish()
                handshakeSink.finish()
                opened.resume(throwing: ZMQError(code: ETERM, operation: "open"))
            }
        }
        return OpenedSocket(handle: handle, boundEndpoints: endpoints, messages: messages, handshakes: handshakes)
    }

    /// Sends a multipart message and reports what libzmq did with it.
    @discardableResult
    public func send(_ frames: [Data], on socket: SocketHandle) async -> SendOutcome {
        await withCheckedContinuation { (done: CheckedContinuation<SendOutcome, Never>) in
            send(frames, on: socket) { done.resume(returning: $0) }
        }
    }

    /// Queues frames and reports the outcome to `then`, if given, on the engine thread: for a
    /// caller that need not be woken when the send went through (it waits for the answer anyway,
    /// or, for replies and ACKs, does nothing with it: a lost one is resent by the other side).
    public func send(_ frames: [Data], on socket: SocketHandle, then: (@Sendable (SendOutcome) -> Void)?) {
        if !submit(.send(socket, frames, then)) { then?(.failed(ZMQError(code: ETERM, operation: "send"))) }
    }

    public func close(_ socket: SocketHandle) {
        _ = submit(.close(socket))
    }

    /// Closes every socket (linger 0), terminates the context and joins the thread. Idempotent.
    public func shutdown() {
        let shouldStop = state.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .stopping
            return true
        }
        guard shouldStop else { return }
        _ = submit(.stop, force: true)
        stopped.wait()
        state.withLock { $0 = .stopped }
        Glibc.close(wakeFD)
    }

    private func submit(_ command: Command, force: Bool = false) -> Bool {
        guard force || state.withLock({ $0 == .running }) else { return false }
        commands.push(command)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
        return true
    }
}

/// Commands waiting for the engine thread.
final class CommandQueue: Sendable {
    private let queue = Mutex<[BusEngine.Command]>([])

    func push(_ command: BusEngine.Command) { queue.withLock { $0.append(command) } }

    func drain() -> [BusEngine.Command] {
        queue.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }
}

/// Where a socket's inbound messages go.
enum Inbound: Sendable {
    case stream(AsyncStream<ReceivedMessage>.Continuation)
    case receiver(@Sendable (ReceivedMessage?) -> Void)

    func yield(_ message: ReceivedMessage) {
        switch self {
        case .stream(let continuation): continuation.yield(message)
        case .receiver(let receive): receive(message)
        }
    }

    func finish() {
        switch self {
        case .stream(let continuation): continuation.finish()
        case .receiver(let receive): receive(nil)
        }
    }
}

/// An opened socket: its handle, bound endpoints and inbound messages.
public struct OpenedSocket: Sendable {
    public let handle: SocketHandle
    public let boundEndpoints: [String]
    /// Finished at once for a socket opened with a receiver.
    public let messages: AsyncStream<ReceivedMessage>
    /// One element per completed handshake when the spec asked for ``SocketSpec/reportsHandshakes``;
    /// otherwise it finishes at once.
    public let handshakes: AsyncStream<Void>
}

public struct SocketHandle: Sendable, Hashable {
    let id: Int
}

/// The context pointer; libzmq contexts are thread-safe.
struct ContextBox: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}
