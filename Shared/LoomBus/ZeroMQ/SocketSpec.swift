import CZeroMQ
import LoomContract

/// The socket types Loom uses.
public enum SocketKind: Sendable {
    case dealer, router, pub, sub, push, pull, rep, pair

    var rawValue: Int32 {
        switch self {
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .rep: ZMQ_REP
        case .pair: ZMQ_PAIR
        }
    }
}

/// What to open: a socket kind, where it binds or connects, and its options.
public struct SocketSpec: Sendable {
    public var kind: SocketKind
    public var bind: [String]
    public var connect: [String]
    /// The identity a ROUTER peer sees; stable so a restarted sender keeps its address.
    public var routingId: String?
    public var options: SocketOptions
    /// CURVE encryption and authentication; nil is plain ZMTP.
    public var curve: CurveSetting?
    /// Report each completed handshake on ``OpenedSocket/handshakes`` (a link's reconnections).
    public var reportsHandshakes: Bool

    public init(
        kind: SocketKind, bind: [String] = [], connect: [String] = [], routingId: String? = nil, options: SocketOptions? = nil,
        curve: CurveSetting? = nil, reportsHandshakes: Bool = false
    ) {
        self.kind = kind
        self.bind = bind
        self.connect = connect
        self.routingId = routingId
        self.options = options ?? SocketOptions.defaults(for: kind)
        self.curve = curve
        self.reportsHandshakes = reportsHandshakes
    }
}

/// A socket's CURVE role, which does not depend on whether it binds or connects.
public enum CurveSetting: Sendable {
    /// Accepts clients; the process's ZAP handler decides which keys get in: roster members
    /// whose role may send something to a service of `role`.
    case server(CurveKeyPair, role: BusRole)
    /// Connects to a server whose public key it knows, presenting its own key pair.
    case client(CurveKeyPair, serverKey: String)
}

/// Socket options, set deliberately for every socket that crosses a process boundary.
///
/// Durability comes from SQLite, never from libzmq buffers, hence `linger = 0`.
public struct SocketOptions: Sendable {
    /// Milliseconds unsent messages survive a close; 0 so shutdown never hangs on a dead peer.
    public var linger: Int32 = 0
    /// Messages per peer pipe before the socket goes mute; the relay's window stays far below.
    public var sendHighWaterMark: Int32 = 1000
    public var receiveHighWaterMark: Int32 = 1000
    /// A peer sending a bigger message is disconnected by libzmq before we see it.
    public var maxMessageSize: Int64 = 4 << 20
    /// ZMTP heartbeats keep idle connections alive and detect dead peers.
    public var heartbeatInterval: Int32 = 1000
    public var heartbeatTimeout: Int32 = 3000
    public var heartbeatTTL: Int32 = 5000
    public var handshakeInterval: Int32 = 5000
    public var reconnectInterval: Int32 = 100
    public var reconnectIntervalMax: Int32 = 2000
    /// Queue only to completed connections, so a missing peer is a visible EAGAIN, not a stale pipe.
    public var immediate = false
    /// Unroutable sends fail with EHOSTUNREACH instead of vanishing.
    public var routerMandatory = false
    /// A second connection claiming a routing id in use takes it over. Off: an impostor could
    /// otherwise steal a live peer's replies; a restarted peer's new connection waits until
    /// the dead one is gone (its TCP close, or the heartbeat timeout).
    public var routerHandover = false
    public var subscriptions: [[UInt8]] = []

    public init() {}

    public static func defaults(for kind: SocketKind) -> SocketOptions {
        var options = SocketOptions()
        switch kind {
        case .dealer, .push:
            options.immediate = true
        case .router:
            options.routerMandatory = true
        case .sub:
            options.subscriptions = [[]]
        case .pub, .pull, .rep, .pair:
            break
        }
        return options
    }
}
