/// Why bytes could not become an envelope. Receivers count these and drop the frame; they never crash.
public enum ContractError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame is larger than the receiver accepts.
    case oversized(bytes: Int, limit: Int)
    /// The frame is not JSON, or not an object with the required header fields.
    case malformed(String)
    /// The sender speaks a major version this build does not understand.
    case unsupportedVersion(ContractVersion)
    /// The `kind` names no payload this build knows.
    case unknownKind(String)
    /// The header is fine but the body does not match its kind's schema.
    case invalidBody(kind: MessageKind, reason: String)
    /// The frame is nested too deep, or holds a string or number too long, to hand to a decoder.
    case limitExceeded(JSONLimitError)

    public var code: String {
        switch self {
        case .oversized: "oversized"
        case .malformed: "malformed"
        case .unsupportedVersion: "unsupported_version"
        case .unknownKind: "unknown_kind"
        case .invalidBody: "invalid_body"
        case .limitExceeded: "limit_exceeded"
        }
    }

    public var description: String {
        switch self {
        case .oversized(let bytes, let limit): "frame of \(bytes) bytes exceeds the \(limit)-byte limit"
        case .malformed(let reason): "malformed frame: \(reason)"
        case .unsupportedVersion(let version): "unsupported contract version \(version) (this build speaks \(ContractVersion.current.major).x)"
        case .unknownKind(let kind): "unknown message kind '\(kind)'"
        case .invalidBody(let kind, let reason): "invalid \(kind.rawValue) body: \(reason)"
        case .limitExceeded(let limit): "frame refused before decoding: \(limit)"
        }
    }
}
