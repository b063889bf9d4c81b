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
        try Self.encoder.encode(WireEnvelope(envelope))
    }

    /// One parse: the header fields are read and checked first, inside the same pass that reads the
    /// body, so a frame of an unknown kind or version is refused before its payload is decoded.
    public func decode(_ data: Data) throws(ContractError) -> Envelope {
        guard data.count <= maxFrameBytes else { throw .oversized(bytes: data.count, limit: maxFrameBytes) }
        do {
            try JSONLimits.frame.check(data)
        } catch {
            throw .limitExceeded(error)
        }
        do {
            return try Self.decoder.decode(WireEnvelope.self, from: data).envelope()
        } catch let error as ContractError {
            throw error
        } catch {
            throw .malformed(Self.describe(error))
        }
    }

    /// Any Decodable from untrusted bytes with the shared decoder, after the nesting and length
    /// limits: the decoder itself refuses only past 512 levels, and untrusted input is held to less.
    public static func decodeValue<T: Decodable>(_ type: T.Type, from data: Data) throws(ContractError) -> T {
        do {
            try JSONLimits.frame.check(data)
        } catch {
            throw .limitExceeded(error)
        }
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw .malformed(describe(error))
        }
    }

    /// A value this service wrote to its own database: it passed the limits when it first arrived,
    /// so it is read without scanning it again.
    public static func decodeStored<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    /// Any Codable value in the wire encoding, with the shared encoder.
    public static func encodeValue<T: Encodable>(_ value: T) throws -> Data {
        try encoder.encode(value)
    }

    /// The same, as text, for columns and logs.
    public static func encodeText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The wire's own coders: the same bytes and errors as Foundation's configured below, at a
    /// fraction of the CPU, which Foundation's JSON coders took 13-32% of in each service.
    private static let encoder = WireJSONEncoder()
    private static let decoder = WireJSONDecoder()

    /// Foundation's encoder with the wire's options, for the rare value `WireJSONEncoder` hands back.
    /// JSONEncoder is safe to share while its options stay fixed.
    static let foundationEncoder = makeEncoder()

    /// A new Foundation encoder with the wire's options, for callers that need to change one
    /// (pretty output). The wire itself encodes with `WireJSONEncoder`, which writes the same bytes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(WireDate.format(date))
        }
        return encoder
    }

    /// A Foundation decoder with the wire's date strategy; `WireJSONDecoder` reads the same way.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = WireDate.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: '\(text)'")
        }
        return decoder
    }

    static func format(_ date: Date) -> String {
        WireDate.format(date)
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

/// The envelope's wire layout: header fields at the top level, the typed payload under `body`.
struct WireEnvelope: Codable {
    enum CodingKeys: String, CodingKey {
        case v, id, kind, idempotencyKey, sessionId, executionId, turnId, traceparent, createdAt, deadline, body
    }

    var v: String
    var version: ContractVersion
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
        version = envelope.contractVersion
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
        let messageKind: MessageKind
        do {
            v = try container.decode(String.self, forKey: .v)
            kind = try container.decode(String.self, forKey: .kind)
        } catch {
            throw ContractError.malformed(WireCodec.describe(error))
        }
        guard let parsed = ContractVersion(parsing: v) else { throw ContractError.malformed("bad contract version '\(v)'") }
        guard parsed.major == ContractVersion.current.major else { throw ContractError.unsupportedVersion(parsed) }
        guard let known = MessageKind(rawValue: kind) else { throw ContractError.unknownKind(kind) }
        version = parsed
        messageKind = known
        do {
            id = try container.decode(String.self, forKey: .id)
            idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey) ?? id
            sessionId = try container.decodeIfPresent(String.self, forKey: .sessionId)
            executionId = try container.decodeIfPresent(String.self, forKey: .executionId)
            turnId = try container.decodeIfPresent(String.self, forKey: .turnId)
            traceparent = try container.decode(String.self, forKey: .traceparent)
            createdAt = try container.decode(Date.self, forKey: .createdAt)
            deadline = try container.decodeIfPresent(Date.self, forKey: .deadline)
            let payload = try container.superDecoder(forKey: .body)
            body = AnyPayload(try messageKind.payloadType.init(from: payload))
        } catch let error as ContractError {
            throw error
        } catch {
            throw ContractError.invalidBody(kind: messageKind, reason: WireCodec.describe(error))
        }
        guard !id.isEmpty else { throw ContractError.invalidBody(kind: messageKind, reason: "empty id") }
    }

    func envelope() -> Envelope {
        Envelope(
            id: id, idempotencyKey: idempotencyKey,
            correlation: Correlation(sessionId: sessionId, executionId: executionId, turnId: turnId),
            traceparent: traceparent, createdAt: createdAt, deadline: deadline, contractVersion: version, body: body.value)
    }
}

/// Encodes whatever payload the envelope holds; decoding goes through `MessageKind.payloadType`.
struct AnyPayload: Encodable {
    var value: any MessagePayload
    init(_ value: any MessagePayload) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
