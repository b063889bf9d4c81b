import CZeroMQ
import Foundation

/// A libzmq socket. Not thread-safe: only the engine thread that created it may touch it.
final class ZMQSocket {
    let handle: UnsafeMutableRawPointer
    let kind: SocketKind
    private(set) var boundEndpoints: [String] = []

    init(context: UnsafeMutableRawPointer, spec: SocketSpec) throws(ZMQError) {
        guard let handle = zmq_socket(context, spec.kind.rawValue) else { throw .last("zmq_socket") }
        self.handle = handle
        self.kind = spec.kind
        do {
            try apply(spec)
        } catch {
            zmq_close(handle)
            throw error
        }
    }

    private func apply(_ spec: SocketSpec) throws(ZMQError) {
        let options = spec.options
        try set(ZMQ_LINGER, options.linger)
        try set(ZMQ_SNDHWM, options.sendHighWaterMark)
        try set(ZMQ_RCVHWM, options.receiveHighWaterMark)
        try set(ZMQ_MAXMSGSIZE, options.maxMessageSize)
        try set(ZMQ_HEARTBEAT_IVL, options.heartbeatInterval)
        try set(ZMQ_HEARTBEAT_TIMEOUT, options.heartbeatTimeout)
        try set(ZMQ_HEARTBEAT_TTL, options.heartbeatTTL)
        try set(ZMQ_HANDSHAKE_IVL, options.handshakeInterval)
        try set(ZMQ_RECONNECT_IVL, options.reconnectInterval)
        try set(ZMQ_RECONNECT_IVL_MAX, options.reconnectIntervalMax)
        if options.immediate { try set(ZMQ_IMMEDIATE, Int32(1)) }
        if spec.kind == .router {
            try set(ZMQ_ROUTER_MANDATORY, Int32(options.routerMandatory ? 1 : 0))
            try set(ZMQ_ROUTER_HANDOVER, Int32(options.routerHandover ? 1 : 0))
        }
        try applyCurve(spec.curve)
        if let routingId = spec.routingId {
            try setBytes(ZMQ_ROUTING_ID, Array(routingId.utf8))
        }
        for prefix in options.subscriptions where spec.kind == .sub {
            try setBytes(ZMQ_SUBSCRIBE, prefix)
        }
        for endpoint in spec.bind {
            guard zmq_bind(handle, endpoint) == 0 else { throw .last("bind \(endpoint)") }
            boundEndpoints.append(lastEndpoint() ?? endpoint)
        }
        for endpoint in spec.connect {
            guard zmq_connect(handle, endpoint) == 0 else { throw .last("connect \(endpoint)") }
        }
    }

    private func applyCurve(_ curve: CurveSetting?) throws(ZMQError) {
        switch curve {
        case nil:
            return
        case .server(let pair, let role):
            try set(ZMQ_CURVE_SERVER, Int32(1))
            try setKey(ZMQ_CURVE_SECRETKEY, pair.secretKey)
            // A non-empty domain makes libzmq consult the ZAP handler for every handshake; it
            // names the listener's role, so the handler admits only the roles that may call it.
            try setBytes(ZMQ_ZAP_DOMAIN, Array(ZAPHandler.domain(of: role).utf8))
        case .client(let pair, let serverKey):
            try setKey(ZMQ_CURVE_SERVERKEY, serverKey)
            try setKey(ZMQ_CURVE_PUBLICKEY, pair.publicKey)
            try setKey(ZMQ_CURVE_SECRETKEY, pair.secretKey)
        }
    }

    /// Z85 keys are passed with their terminating NUL (41 bytes), as libzmq expects.
    private func setKey(_ option: Int32, _ z85: String) throws(ZMQError) {
        try setBytes(option, Array(z85.utf8) + [0])
    }

    private func set(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else { throw .last("setsockopt \(option)") }
    }

    private func set(_ option: Int32, _ value: Int64) throws(ZMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size) == 0 else { throw .last("setsockopt \(option)") }
    }

    private func setBytes(_ option: Int32, _ bytes: [UInt8]) throws(ZMQError) {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw .last("setsockopt \(option)") }
    }

    private func lastEndpoint() -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else { return nil }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends all frames as one message without blocking.
    func send(_ frames: [Data]) -> SendOutcome {
        for (index, frame) in frames.enumerated() {
            let flags = ZMQ_DONTWAIT | (index < frames.count - 1 ? ZMQ_SNDMORE : 0)
            var rc: Int32
            repeat {
                rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 {
                let code = zmq_errno()
                // libzmq accepts the rest of a multipart message once the first frame is in.
                switch code {
                case EAGAIN: return .peerUnavailable
                case EHOSTUNREACH: return .unroutable
                default: return .failed(ZMQError(code: code, operation: "send"))
                }
            }
        }
        return .sent
    }

    /// Reads one whole multipart message, or nil when none is waiting.
    func receive() -> [Data]? { receiveMessage()?.frames }

    /// Reads one whole multipart message with the ZAP user id libzmq attached to it (set only
    /// on connections a CURVE server authenticated).
    func receiveMessage() -> ReceivedMessage? {
        var frames: [Data] = []
        var userId: String?
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        while true {
            zmq_msg_init(message)
            let rc = zmq_msg_recv(message, handle, ZMQ_DONTWAIT)
            if rc < 0 {
                let code = zmq_errno()
                zmq_msg_close(message)
                if code == EINTR { continue }
                return frames.isEmpty ? nil : ReceivedMessage(frames: frames, userId: userId)
            }
            if userId == nil, let property = zmq_msg_gets(message, "User-Id") {
                userId = String(cString: property)
            }
            let size = zmq_msg_size(message)
            let frame = size == 0 ? Data() : Data(bytes: zmq_msg_data(message), count: size)
            // Read the more flag before closing: it lives in the message.
            let more = zmq_msg_more(message) != 0
            zmq_msg_close(message)
            frames.append(frame)
            if !more { return ReceivedMessage(frames: frames, userId: userId) }
        }
    }

    func close() { zmq_close(handle) }
}

/// One inbound multipart message and who sent it, as far as the transport knows.
public struct ReceivedMessage: Sendable {
    public var frames: [Data]
    /// `role/instance` from the roster, for frames a CURVE server authenticated; nil otherwise.
    public var userId: String?
}

/// What happened to a send.
public enum SendOutcome: Sendable, Equatable {
    case sent
    /// No connected peer could take it (IMMEDIATE with no peer, or every pipe at its high-water mark).
    case peerUnavailable
    /// A ROUTER has no peer with that routing id.
    case unroutable
    case failed(ZMQError)

    public static func == (lhs: SendOutcome, rhs: SendOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.sent, .sent), (.peerUnavailable, .peerUnavailable), (.unroutable, .unroutable): true
        case (.failed(let a), .failed(let b)): a.code == b.code
        default: false
        }
    }
}
