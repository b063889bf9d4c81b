/// Where a hop message goes or came from.
///
/// `.peer(name)` is a service this process connected to (through its DEALER link); `.client(id)`
/// is a process connected to this one's listener, addressed by its routing id. Stored in the
/// outbox as text, so a restart reaches the same place.
public enum PeerAddress: Sendable, Hashable, CustomStringConvertible {
    case peer(String)
    case client(String)

    public var description: String {
        switch self {
        case .peer(let name): "peer:\(name)"
        case .client(let id): "client:\(id)"
        }
    }

    public init?(_ text: String) {
        if text.hasPrefix("peer:") {
            self = .peer(String(text.dropFirst(5)))
        } else if text.hasPrefix("client:") {
            self = .client(String(text.dropFirst(7)))
        } else {
            return nil
        }
    }

    /// The name or routing id, without the kind.
    public var name: String {
        switch self {
        case .peer(let name), .client(let name): name
        }
    }
}
