import Foundation
import LoomContract
import Logging
import Synchronization

/// A process's place on the bus: one listening ROUTER that others connect to, and one DEALER
/// link per service this process talks to.
///
/// Both directions of a connection carry both kinds of traffic: custody hops (DELIVER ⇄ ACK)
/// and calls (REQUEST ⇄ REPLY). The node decodes and routes frames; what to do with a
/// delivered message or a request is the service's business, given in ``BusHandlers``.
public final class BusNode: Sendable {
    public let instance: String
    public let engine: BusEngine
    public let counters: BusCounters
    public let codec: WireCodec
    public let listenEndpoint: String?
    let logger: Logger
    private let listener: OpenedSocket?
    private let links: [String: OpenedSocket]
    /// Who is at the other end of each link, by the server key the roster gave it (CURVE only).
    let linkIdentities: [String: BusIdentity]
    private let waiters = Mutex<[String: Waiter]>([:])
    let refusalThrottle = Mutex(RefusalThrottle<ContinuousClock.Instant>())
    let refusalSink = Mutex<(@Sendable (BusRefusalReport) async -> Void)?>(nil)

    /// A call or delivery waiting for its answer, and the only address allowed to give it.
    private struct Waiter {
        var address: PeerAddress
        var continuation: CheckedContinuation<WaitResult, any Error>
    }

    enum WaitResult: Sendable {
        case ack(HopAck)
        case reply(Data)
    }

    /// Binds the listener (if any) and connects one link per peer, with CURVE when the
    /// engine's security has keys: the listener as a server its ZAP handler guards, each link
    /// as a client that knows its peer's public key from the roster.
    /// - Parameters:
    ///   - instance: this process's routing id as its peers see it; stable across restarts.
    ///   - listen: endpoint to bind, e.g. `tcp://127.0.0.1:5601` (`:*` picks a free port).
    ///   - peers: service name → endpoint to connect to.
    public static func start(
        engine: BusEngine, instance: String, listen: String?, peers: [String: String],
        codec: WireCodec = WireCodec(), counters: BusCounters? = nil, logger: Logger = Logger(label: "loom.bus")
    ) async throws -> BusNode {
        let security = engine.security
        // One set of counters per process by default, so health shows what ZAP refused too.
        let counters = counters ?? engine.refusals.counters
        var listener: OpenedSocket?
        if let listen {
            let curve = security.keyPair.map { CurveSetting.server($0, role: security.identity.role) }
            listener = try await engine.open(SocketSpec(kind: .router, bind: [listen], routingId: instance, curve: curve))
        }
        var links: [String: OpenedSocket] = [:]
        var linkIdentities: [String: BusIdentity] = [:]
        for (name, endpoint) in peers {
            var curve: CurveSetting?
            if let pair = security.keyPair, let roster = security.roster {
                guard let server = roster.roster.publicKey(of: name) else {
                    throw BusSecurityError.missing("the bus roster has no key for '\(name)', which this process connects to")
                }
                curve = .client(pair, serverKey: server.key)
                linkIdentities[name] = server.identity
            }
            links[name] = try await engine.open(SocketSpec(kind: .dealer, connect: [endpoint], routingId: instance, curve: curve))
        }
        let node = BusNode(
            instance: instance, engine: engine, listener: listener, links: links, linkIdentities: linkIdentities, codec: codec,
            counters: counters, logger: logger)
        node.startReportingRefusals()
        return node
    }

    private init(
        instance: String, engine: BusEngine, listener: OpenedSocket?, links: [String: OpenedSocket],
        linkIdentities: [String: BusIdentity], codec: WireCodec, counters: BusCounters, logger: Logger
    ) {
        self.instance = instance
        self.engine = engine
        self.listener = listener
        self.links = links
        self.linkIdentities = linkIdentities
        self.codec = codec
        self.counters = counters
        self.logger = logger
        self.listenEndpoint = listener?.boundEndpoints.first
    }

    /// Whether this node has a link to `peer`.
    public func hasLink(to peer: String) -> Bool { links[peer] != nil }

    // MARK: Sending

    /// Sends already-encoded frames to a peer or client.
    func send(_ frame: HopFrame, to address: PeerAddress) async -> SendOutcome {
        switch address {
        case .peer(let name):
            guard let link = links[name] else { return .unroutable }
            return await engine.send(frame.frames, on: link.handle)
        case .client(let routingId):
            guard let listener else { return .unroutable }
            return await engine.send([Data(routingId.utf8)] + frame.frames, on: listener.handle)
        }
    }

    /// Sends a DELIVER once, without waiting for the ACK (the outbox relay tracks ACKs).
    public func deliver(encoded envelope: Data, to address: PeerAddress) async -> SendOutcome {
        await send(.deliver(envelope), to: address)
    }

    func exchange(
        key: String, address: PeerAddress, timeout: Duration, attempts: Int, send: @escaping @Sendable () async -> SendOutcome
    ) async throws -> WaitResult {
        var lastError: any Error = BusError.timedOut
        for attempt in 0..<max(attempts, 1) {
            try Task.checkCancellation()
            if attempt > 0 { counters.increment("requests.resent") }
            do {
                return try await waitOnce(key: key, address: address, timeout: timeout, send: send)
            } catch let error as BusError {
                lastError = error
                if case .peerUnavailable = error {
                    try await Task.sleep(for: min(timeout, Backoff(base: .milliseconds(50), cap: .seconds(1)).delay(afterAttempt: attempt)))
                }
            }
        }
        throw lastError
    }

    private func waitOnce(
        key: String, address: PeerAddress, timeout: Duration, send: @escaping @Sendable () async -> SendOutcome
    ) async throws -> WaitResult {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WaitResult, any Error>) in
                waiters.withLock { $0[key] = Waiter(address: address, continuation: continuation) }
                Task {
                    let deadline = ContinuousClock.now + timeout
                    // A connection that is still being made (or re-made) refuses sends under
                    // IMMEDIATE; keep offering the message until the attempt's deadline.
                    var pause = Duration.milliseconds(5)
                    var outcome = await send()
                    while outcome == .peerUnavailable && ContinuousClock.now + pause < deadline {
                        try? await Task.sleep(for: pause)
                        pause = min(pause * 2, .milliseconds(100))
                        outcome = await send()
                    }
                    if outcome != .sent {
                        self.resumeWaiter(key, throwing: BusError.peerUnavailable(String(describing: outcome)))
                        return
                    }
                    try? await Task.sleep(until: deadline)
                    self.resumeWaiter(key, throwing: BusError.timedOut)
                }
            }
        } onCancel: {
            resumeWaiter(key, throwing: CancellationError())
        }
    }

    private func resumeWaiter(_ key: String, throwing error: any Error) {
        waiters.withLock { $0.removeValue(forKey: key) }?.continuation.resume(throwing: error)
    }

    /// Hands an answer to its waiter, but only when it came from where the request went: a
    /// forged REPLY or ACK from another peer must not complete someone else's call.
    private func resumeWaiter(_ key: String, from: PeerAddress, with result: WaitResult) -> Bool {
        let waiter = waiters.withLock { waiters -> Waiter? in
            guard let waiter = waiters[key], waiter.address == from else { return nil }
            return waiters.removeValue(forKey: key)
        }
        guard let waiter else { return false }
        waiter.continuation.resume(returning: result)
        return true
    }

    // MARK: Receiving

    /// Reads every socket until the engine closes them, handing each message to `handlers`.
    /// Messages are handled concurrently; ordering within a session is the service's concern.
    public func serve(_ handlers: BusHandlers) async {
        let (inbound, sink) = AsyncStream<(ArraySlice<Data>, PeerAddress, BusIdentity?)>.makeStream()
        let sockets: [(OpenedSocket, PeerAddress?)] = (listener.map { [($0, nil)] } ?? []) + links.map { ($0.value, .peer($0.key)) }
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { readers in
                    for (socket, peer) in sockets {
                        readers.addTask {
                            for await message in socket.messages {
                                if let peer {
                                    sink.yield((message.frames[...], peer, self.linkIdentities[peer.name]))
                                } else if let admitted = self.admitListenerMessage(message) {
                                    sink.yield(admitted)
                                }
                            }
                        }
                    }
                }
                sink.finish()
            }
            for await (frames, from, identity) in inbound {
                dispatch(frames, from: from, identity: identity, handlers: handlers, group: &group)
            }
        }
    }

    private func dispatch(
        _ frames: ArraySlice<Data>, from: PeerAddress, identity: BusIdentity?, handlers: BusHandlers, group: inout DiscardingTaskGroup
    ) {
        let frame: HopFrame
        do {
            frame = try HopFrame.parse(frames)
        } catch {
            counters.increment(error.counterName)
            logger.warning("dropped a frame that is not LOOM1 from \(from)", metadata: ["reason": "\(error)"])
            return
        }
        switch frame {
        case .ack(let ack):
            _ = resumeWaiter("ack:\(ack.messageId)", from: from, with: .ack(ack))
            group.addTask { await handlers.acknowledged(ack, from) }
        case .reply(let requestId, let envelope):
            if !resumeWaiter("reply:\(requestId)", from: from, with: .reply(envelope)) {
                counters.increment("replies.late")
            }
        case .deliver(let data):
            guard let envelope = decode(data, from: from) else { return }
            guard permits(envelope, from: from, identity: identity) else {
                group.addTask { _ = await self.send(.ack(.rejected(envelope.id, code: "forbidden", detail: Self.forbidden(envelope))), to: from) }
                return
            }
            group.addTask {
                let ack = await handlers.deliver(envelope, from)
                if ack.outcome == .duplicate { self.counters.increment("deliveries.duplicate") }
                _ = await self.send(.ack(ack), to: from)
            }
        case .request(let data):
            guard let envelope = decode(data, from: from) else { return }
            group.addTask {
                let payload: any MessagePayload =
                    if self.permits(envelope, from: from, identity: identity) {
                        await handlers.request(envelope, from)
                    } else {
                        Failure(code: "forbidden", message: Self.forbidden(envelope))
                    }
                let reply = envelope.derived(id: MessageID.derived("rep", from: envelope.id), body: payload)
                guard let encoded = try? self.codec.encode(reply) else {
                    self.counters.increment("replies.unencodable")
                    return
                }
                _ = await self.send(.reply(requestId: envelope.id, envelope: encoded), to: from)
            }
        }
    }

    private func decode(_ data: Data, from: PeerAddress) -> Envelope? {
        do {
            return try codec.decode(data)
        } catch {
            counters.increment("frames.rejected.\(error.code)")
            logger.warning("rejected an envelope from \(from)", metadata: ["reason": "\(error)"])
            return nil
        }
    }
}
