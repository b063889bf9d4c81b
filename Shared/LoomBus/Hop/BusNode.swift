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
    let inbox: NodeInbox
    /// Who is at the other end of each link, by the server key the roster gave it (CURVE only).
    let linkIdentities: [String: BusIdentity]
    let pending = Mutex(PendingExchanges<CheckedContinuation<WaitResult, any Error>>())
    /// When each waiting call gives up, kept by one timer for the node rather than one per call.
    let deadlines = CallDeadlines()
    let refusalThrottle = Mutex(RefusalThrottle<ContinuousClock.Instant>())
    let refusalSink = Mutex<(@Sendable (BusRefusalReport) async -> Void)?>(nil)

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
        let inbox = NodeInbox(sockets: peers.count + (listen == nil ? 0 : 1))
        var listener: OpenedSocket?
        if let listen {
            let curve = security.keyPair.map { CurveSetting.server($0, role: security.identity.role) }
            listener = try await engine.open(
                SocketSpec(kind: .router, bind: [listen], routingId: instance, curve: curve)
            ) { inbox.receive($0, on: nil) }
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
            links[name] = try await engine.open(
                SocketSpec(kind: .dealer, connect: [endpoint], routingId: instance, curve: curve, reportsHandshakes: true)
            ) { inbox.receive($0, on: .peer(name)) }
        }
        let node = BusNode(
            instance: instance, engine: engine, listener: listener, links: links, linkIdentities: linkIdentities,
            inbox: inbox, codec: codec, counters: counters, logger: logger)
        inbox.attach(node)
        node.startReportingRefusals()
        return node
    }

    private init(
        instance: String, engine: BusEngine, listener: OpenedSocket?, links: [String: OpenedSocket],
        linkIdentities: [String: BusIdentity], inbox: NodeInbox, codec: WireCodec, counters: BusCounters,
        logger: Logger
    ) {
        self.inbox = inbox
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

    /// Queues a frame for the engine without waking the caller; `then`, if given, hears the
    /// outcome on the engine thread (replies and ACKs go without one).
    func post(_ frame: HopFrame, to address: PeerAddress, then: (@Sendable (SendOutcome) -> Void)? = nil) {
        switch address {
        case .peer(let name):
            guard let link = links[name] else { then?(.unroutable); return }
            engine.send(frame.frames, on: link.handle, then: then)
        case .client(let routingId):
            guard let listener else { then?(.unroutable); return }
            engine.send([Data(routingId.utf8)] + frame.frames, on: listener.handle, then: then)
        }
    }

    /// Sends a DELIVER once, without waiting for the ACK (the outbox relay tracks ACKs).
    public func deliver(encoded envelope: Data, to address: PeerAddress) async -> SendOutcome {
        await send(.deliver(envelope), to: address)
    }

    // MARK: Receiving

    /// Handles every message with `handlers` until the engine closes the sockets or the caller
    /// is cancelled, and returns once their tasks have ended. Messages are handled
    /// concurrently; ordering within a session is the service's concern. Replies to this
    /// node's own calls are taken whether or not it serves.
    public func serve(_ handlers: BusHandlers) async {
        await withDiscardingTaskGroup { group in
            for (name, link) in links {
                group.addTask { await self.watchReconnections(of: .peer(name), link: link, handlers: handlers) }
            }
            await inbox.serve(handlers) { self.dispatch($0, handlers: $1) }
            group.cancelAll()
        }
    }

    /// After the first handshake on a link, every further one is the peer coming back: what
    /// was in flight to it is sent again now, and the service may make its outbox rows due.
    private func watchReconnections(of peer: PeerAddress, link: OpenedSocket, handlers: BusHandlers) async {
        var first = true
        for await _ in link.handshakes {
            if first {
                first = false
                continue
            }
            counters.increment("links.reconnected")
            logger.info("\(peer) is reachable again; resending what was in flight")
            await resendInFlight(to: peer)
            await handlers.reconnected(peer)
        }
    }

    /// How long past its deadline a request is still served: clocks of separate hosts differ.
    static let deadlineGrace: TimeInterval = 30

    /// A request its caller gave up on long ago is not worth doing: the answer would reach nobody.
    static func expired(_ envelope: Envelope, now: Date) -> Failure? {
        guard let deadline = envelope.deadline, now.timeIntervalSince(deadline) > deadlineGrace else { return nil }
        return Failure(
            code: "expired", message: "the request's deadline passed \(Int(now.timeIntervalSince(deadline))) s ago",
            retryable: true)
    }
}
