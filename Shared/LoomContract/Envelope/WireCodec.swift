import Foundation

/// The single encode/decode pair every service uses for envelopes on the bus.
///
/// JSON today: readable in logs and tests. Everything goes through this type so the encoding can
/// be swapped for a compact binary one without touching the services.
public struct WireCodec: Sendable {
    /// Frames above this size are rejected before any parsing.
    public var maxFrameBytes: Int

    public static let defaultMaxFrameBytes = 1 << 20

    public init(maxFrameBytes: Int = WireCodec.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public func encode(_ envelope: Envelope) throws -> Data {
        try Self.makeEncoder().encode(WireEnvelope(envelope))
    }

    public func decode(_ data: Data) throws(ContractError) -> Envelope {
        guard data.count <= maxFrameBytes else { throw .oversized(bytes: data.count, limit: maxFrameBytes) }
        do {
            try JSONLimits.frame.check(data)
        } catch {
            throw .limitExceeded(error)
        }
        let decoder = Self.makeDecoder()
        let header: WireHeader
        do {
            header = try decoder.decode(WireHeader.self, from: data)
        } catch {
            throw .malformed(Self.describe(error))
        }
        guard let version = ContractVersion(parsing: header.v) else { throw .malformed("bad contract version '\(header.v)'") }
        guard version.major == ContractVersion.current.major else { throw .unsupportedVersion(version) }
        guard let kind = MessageKind(rawValue: header.kind) else { throw .unknownKind(header.kind) }
        do {
            let decoded = try decoder.decode(WireEnvelope.self, from: data)
            return decoded.envelope(kind: kind, version: version)
        } catch let error as ContractError {
            throw error
        } catch {
            throw .invalidBody(kind: kind, reason: Self.describe(error))
        }
    }

    /// Any Decodable from untrusted bytes with the shared decoder, after the nesting and length
    /// limits (Foundation's decoder traps on very deep input, so nothing reaches it unchecked).
    public static func decodeValue<T: Decodable>(_ type: T.Type, from data: Data) throws(ContractError) -> T {
        do {
            try JSONLimits.frame.check(data)
        } catch {
            throw .limitExceeded(error)
        }
        do {
            return try makeDecoder().decode(type, from: data)
        } catch {
            throw .malformed(describe(error))
        }
    }

    /// The same encoding, for any Codable value (records in control replies, tests, the CLI).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.format(date))
        }
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: Self.dateStyle) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: '\(text)'")
        }
        return decoder
    }

    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// ISO 8601 with milliseconds, rounded rather than truncated: a parsed `.123` is stored as
    /// 0.12299…, and truncating it would move every date back a millisecond on each hop.
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return whole.dropLast() + ".\(padded)Z"
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(path(context.codingPath))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        default:
            return String(describing: error)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Just enough of the envelope to decide whether and how to read the rest.
private struct WireHeader: Decodable {
    var v: String
    var kind: String
}

/// The envelope's wire layout: header fields at the top level, the typed payload under `body`.
private struct WireEnvelope: Codable {
    var v: String
    var id: String
    var kind: String
    var idempotencyKey: String
    var sessionId: String?
    var executionId: String?
    var turnId: String?
    var traceparent: String
    var createdAt: Date
    var deadline: Date?
    var body: AnyPayload

    init(_ envelope: Envelope) {
        v = envelope.contractVersion.description
        id = envelope.id
        kind = envelope.kind.rawValue
        idempotencyKey = envelope.idempotencyKey
        sessionId = envelope.correlation.sessionId
        executionId = envelope.correlation.executionId
        turnId = envelope.correlation.turnId
        traceparent = envelope.traceparent
        createdAt = envelope.createdAt
        deadline = envelope.deadline
        body = AnyPayload(envelope.body)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        v = try container.decode(String.self, forKey: .v)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(String.self, forKey: .kind)
        guard let messageKind = MessageKind(rawValue: kind) else { throw ContractError.unknownKind(kind) }
        idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey) ?? id
        sessionId = try container.decodeIfPresent(String.self, forKey: .sessionId)
        executionId = try container.decodeIfPresent(String.self, forKey: .executionId)
        turnId = try container.decodeIfPresent(String.self, forKey: .turnId)
        traceparent = try container.decode(String.self, forKey: .traceparent)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        deadline = try container.decodeIfPresent(Date.self, forKey: .deadline)
        let payload = try container.superDecoder(forKey: .body)
        body = AnyPayload(try messageKind.payloadType.init(from: payload))
        guard !id.isEmpty else { throw ContractError.invalidBody(kind: messageKind, reason: "empty id") }
    }

    func envelope(kind: MessageKind, version: ContractVersion) -> Envelope {
        Envelope(
            id: id, idempotencyKey: idempotencyKey,
            correlation: Correlation(sessionId: sessionId, executionId: executionId, turnId: turnId),
            traceparent: traceparent, createdAt: createdAt, deadline: deadline, contractVersion: version, body: body.value)
    }
}

/// Encodes whatever payload the envelope holds; decoding goes through `MessageKind.payloadType`.
private struct AnyPayload: Encodable {
    var value: any MessagePayload
    init(_ value: any MessagePayload) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
