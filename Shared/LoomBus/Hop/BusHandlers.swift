import Foundation
import LoomContract

/// What a service does with traffic arriving on its node.
public struct BusHandlers: Sendable {
    /// Take custody of a delivered message; return the outcome only after committing it.
    public var deliver: @Sendable (Envelope, PeerAddress) async -> HopAck
    /// Serve a call.
    public var request: @Sendable (Envelope, PeerAddress) async -> any MessagePayload
    /// A peer acknowledged something this node delivered.
    public var acknowledged: @Sendable (HopAck, PeerAddress) async -> Void
    /// A link's peer completed a new handshake after an earlier one: it restarted or came back.
    public var reconnected: @Sendable (PeerAddress) async -> Void

    public init(
        deliver: @escaping @Sendable (Envelope, PeerAddress) async -> HopAck = { envelope, _ in
            .rejected(envelope.id, code: "not_accepted", detail: "this service takes no deliveries")
        },
        request: @escaping @Sendable (Envelope, PeerAddress) async -> any MessagePayload = { envelope, _ in
            Failure(code: "unsupported_request", message: "\(envelope.kind.rawValue) is not served here")
        },
        acknowledged: @escaping @Sendable (HopAck, PeerAddress) async -> Void = { _, _ in },
        reconnected: @escaping @Sendable (PeerAddress) async -> Void = { _ in }
    ) {
        self.deliver = deliver
        self.request = request
        self.acknowledged = acknowledged
        self.reconnected = reconnected
    }
}

public enum BusError: Error, Sendable, CustomStringConvertible {
    case timedOut
    case peerUnavailable(String)
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .timedOut: "no answer before the deadline"
        case .peerUnavailable(let detail): "peer unavailable (\(detail))"
        case .protocolViolation(let detail): "protocol violation: \(detail)"
        }
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
