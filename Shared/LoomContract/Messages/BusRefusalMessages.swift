/// A service telling the audit log what its bus refused: frames from a peer whose role may not
/// send that kind there, frames under a routing id that is not the peer's, or connections whose
/// key is not on the roster. Trust records it with the reporter's authenticated identity; the
/// reply is an ``AuditAppended``.
public struct BusRefusalReport: MessagePayload, Equatable {
    public static let kind = MessageKind.busRefusalReport
    /// The refused peer as the reporter saw it: `role/instance`, or the key and address when
    /// the key is not on the roster.
    public var peer: String
    /// The message kind that was refused, or `connection` for a refused handshake.
    public var refusedKind: String
    /// `forbidden`, `routing_id_mismatch`, `unknown_key`, `mechanism`.
    public var reason: String
    /// Refusals of this (peer, kind) since the last report.
    public var count: Int

    public init(peer: String, refusedKind: String, reason: String, count: Int) {
        self.peer = peer
        self.refusedKind = refusedKind
        self.reason = reason
        self.count = count
    }
}
