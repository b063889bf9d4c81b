/// Any JSON value, for payloads whose shape is configured rather than compiled in.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

extension JSONValue {
    /// The value as text in a prompt or template: strings bare, whole numbers without a
    /// fraction, objects and arrays as compact JSON.
    public var plainText: String {
        switch self {
        case .string(let text): text
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: "\(Int(number))"
        case .number(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .null: "null"
        default: compactJSON
        }
    }

    /// The value as compact JSON with sorted keys.
    public var compactJSON: String {
        (try? WireCodec.encodeValue(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
