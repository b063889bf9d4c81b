import Foundation
import LoomContract
import MCP

/// The two JSON trees, the suite's (``JSONValue``) and the MCP SDK's (`Value`), converted
/// structurally: no encoder in between.
enum McpValue {
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number):
            // Whole numbers travel as integers, as the server's schema (`integer`) expects.
            if number.rounded() == number, abs(number) < 9.0e15 { return .int(Int(number)) }
            return .double(number)
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(value))
        case .object(let fields): return .object(fields.mapValues(value))
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .string(let text): return .string(text)
        case .data(let mimeType, let data): return .string("[\(mimeType ?? "data"), \(data.count) bytes]")
        case .array(let items): return .array(items.map(json))
        case .object(let fields): return .object(fields.mapValues(json))
        }
    }
}
