import Foundation
import LoomContract

/// The frames of one hop message, after any ROUTER routing-id frame.
///
/// Every message starts with the protocol signature so stray traffic after a reconnect is
/// recognised and dropped. Layout:
/// - `LOOM1 DELIVER <envelope>`: take custody of this message.
/// - `LOOM1 ACK <ack json>`: custody outcome for a delivered message id.
/// - `LOOM1 REQUEST <envelope>`: a call expecting a reply.
/// - `LOOM1 REPLY <request id> <envelope>`: the answer to a call.
enum HopFrame: Sendable {
    case deliver(Data)
    case ack(HopAck)
    case request(Data)
    case reply(requestId: String, envelope: Data)

    static let signature = Data("LOOM1".utf8)

    var frames: [Data] {
        switch self {
        case .deliver(let envelope): [Self.signature, Data("DELIVER".utf8), envelope]
        case .ack(let ack): [Self.signature, Data("ACK".utf8), (try? WireCodec.encodeValue(ack)) ?? Data()]
        case .request(let envelope): [Self.signature, Data("REQUEST".utf8), envelope]
        case .reply(let requestId, let envelope): [Self.signature, Self.replyVerb, Data(requestId.utf8), envelope]
        }
    }

    static let replyVerb = Data("REPLY".utf8)

    /// Parses hop frames; the error names what was wrong for the rejection counter.
    static func parse(_ frames: ArraySlice<Data>) throws(HopFrameError) -> HopFrame {
        guard let first = frames.first, first == signature else { throw .badSignature }
        let rest = Array(frames.dropFirst())
        guard let verbFrame = rest.first else { throw .missingVerb }
        switch String(decoding: verbFrame, as: UTF8.self) {
        case "DELIVER" where rest.count == 2: return .deliver(rest[1])
        case "REQUEST" where rest.count == 2: return .request(rest[1])
        case "REPLY" where rest.count == 3: return .reply(requestId: String(decoding: rest[1], as: UTF8.self), envelope: rest[2])
        case "ACK" where rest.count == 2:
            guard let ack = try? WireCodec.decodeValue(HopAck.self, from: rest[1]) else { throw .badAck }
            return .ack(ack)
        default:
            throw .badVerb
        }
    }
}

enum HopFrameError: Error {
    case badSignature, missingVerb, badVerb, badAck

    var counterName: String {
        switch self {
        case .badSignature: "frames.rejected.signature"
        case .missingVerb, .badVerb: "frames.rejected.verb"
        case .badAck: "frames.rejected.ack"
        }
    }
}

/// The custody outcome a receiver reports for a delivered message.
public struct HopAck: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Committed to the receiver's store; custody has moved.
        case stored
        /// Already committed earlier; custody had moved already.
        case duplicate
        /// Will never be accepted (schema violation, unknown agent); the sender dead-letters it.
        case rejected
        /// Could not be committed now (store busy); the sender retries.
        case retryLater
    }

    public var messageId: String
    public var outcome: Outcome
    public var code: String?
    public var detail: String?
    /// Facts the receiver wants the sender to know (for example the session and execution ids).
    public var info: [String: String]

    public init(messageId: String, outcome: Outcome, code: String? = nil, detail: String? = nil, info: [String: String] = [:]) {
        self.messageId = messageId
        self.outcome = outcome
        self.code = code
        self.detail = detail
        self.info = info
    }

    public static func rejected(_ messageId: String, code: String, detail: String) -> HopAck {
        HopAck(messageId: messageId, outcome: .rejected, code: code, detail: detail)
    }
}
