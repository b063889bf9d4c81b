import Foundation

/// The part of JSON Schema (draft 2020-12 keywords) that capability parameters and agent
/// outputs use, checked with sensible coercion. Written by hand: no listed package validates
/// JSON Schema, and models need coercion ("42" for an integer) that validators do not do.
///
/// Keywords: `type` (one or a list), `properties`, `required`, `additionalProperties` (bool),
/// `items`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, `minItems`,
/// `maxItems`, `description` and `default` (ignored when checking).
public struct JSONSchema: Sendable, Equatable {
    public let root: JSONValue

    public init(_ root: JSONValue) { self.root = root }

    /// One way a value breaks the schema, at a JSON path like `$.items[2].id`.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    static let types: Set<String> = ["object", "array", "string", "integer", "number", "boolean", "null"]
    static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum", "minLength", "maxLength",
        "pattern", "minItems", "maxItems", "description", "default", "title", "$schema",
    ]

    // MARK: Is the schema itself well formed?

    /// Problems with the schema itself (unknown types, malformed keywords, bad patterns).
    public func problems() -> [String] { Self.problems(root, path: "$") }

    private static func problems(_ schema: JSONValue, path: String) -> [String] {
        guard case .object(let keys) = schema else { return ["\(path): a schema must be an object"] }
        var found: [String] = []
        for key in keys.keys.sorted() where !keywords.contains(key) {
            found.append("\(path): unsupported keyword '\(key)'")
        }
        switch keys["type"] {
        case nil: break
        case .string(let type)? where types.contains(type): break
        case .array(let list)? where !list.isEmpty && list.allSatisfy({ $0.stringValue.map(types.contains) ?? false }): break
        default: found.append("\(path).type: must be one of \(types.sorted().joined(separator: ", ")) or a list of them")
        }
        if let properties = keys["properties"] {
            if case .object(let map) = properties {
                for (name, sub) in map.sorted(by: { $0.key < $1.key }) { found += problems(sub, path: "\(path).properties.\(name)") }
            } else {
                found.append("\(path).properties: must be an object")
            }
        }
        if let required = keys["required"] {
            if case .array(let list) = required, list.allSatisfy({ $0.stringValue != nil }) {} else {
                found.append("\(path).required: must be a list of property names")
            }
        }
        if let items = keys["items"] { found += problems(items, path: "\(path).items") }
        if let additional = keys["additionalProperties"], case .bool = additional {} else if keys["additionalProperties"] != nil {
            found.append("\(path).additionalProperties: only true or false is supported")
        }
        if let pattern = keys["pattern"] {
            if let text = pattern.stringValue, (try? NSRegularExpression(pattern: text)) != nil {} else {
                found.append("\(path).pattern: not a valid regular expression")
            }
        }
        for key in ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"] {
            if let value = keys[key], case .number = value {} else if keys[key] != nil { found.append("\(path).\(key): must be a number") }
        }
        if let options = keys["enum"], case .array = options {} else if keys["enum"] != nil {
            found.append("\(path).enum: must be a list")
        }
        return found
    }

    // MARK: Checking values

    /// Every violation found in a value, as one error.
    public struct Violations: Error, Sendable, Equatable, CustomStringConvertible {
        public var all: [Violation]
        public var description: String { all.map(\.description).joined(separator: "; ") }
    }

    /// The value, coerced where the schema asks for a type the model wrote as text (`"42"` →
    /// 42, `"true"` → true) or as a whole float for an integer; or every violation found.
    public func validate(_ value: JSONValue) -> Result<JSONValue, Violations> {
        var violations: [Violation] = []
        let coerced = Self.check(value, against: root, path: "$", violations: &violations)
        return violations.isEmpty ? .success(coerced) : .failure(Violations(all: violations))
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, path: String, violations: inout [Violation]) -> JSONValue {
        guard case .object(let keys) = schema else { return value }
        var value = value
        let allowed: [String] =
            switch keys["type"] {
            case .string(let type)?: [type]
            case .array(let list)?: list.compactMap(\.stringValue)
            default: []
            }
        if !allowed.isEmpty {
            if let fitted = allowed.lazy.compactMap({ fit(value, to: $0) }).first {
                value = fitted
            } else {
                violations.append(Violation(path: path, message: "expected \(allowed.joined(separator: " or ")), got \(describe(value))"))
                return value
            }
        }
        if case .array(let options)? = keys["enum"], !options.contains(value) {
            violations.append(Violation(path: path, message: "must be one of \(options.map(describeLiteral).joined(separator: ", "))"))
        }
        switch value {
        case .object(var fields):
            let properties: [String: JSONValue] = if case .object(let map)? = keys["properties"] { map } else { [:] }
            if case .array(let required)? = keys["required"] {
                for name in required.compactMap(\.stringValue) where fields[name] == nil || fields[name] == .null {
                    violations.append(Violation(path: "\(path).\(name)", message: "is required"))
                }
            }
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                if let sub = properties[name] {
                    fields[name] = check(field, against: sub, path: "\(path).\(name)", violations: &violations)
                } else if keys["additionalProperties"] == .bool(false) {
                    violations.append(Violation(path: "\(path).\(name)", message: "is not an allowed property"))
                }
            }
            value = .object(fields)
        case .array(var items):
            if case .number(let min)? = keys["minItems"], Double(items.count) < min {
                violations.append(Violation(path: path, message: "needs at least \(Int(min)) item(s)"))
            }
            if case .number(let max)? = keys["maxItems"], Double(items.count) > max {
                violations.append(Violation(path: path, message: "allows at most \(Int(max)) item(s)"))
            }
            if let itemSchema = keys["items"] {
                for index in items.indices {
                    items[index] = check(items[index], against: itemSchema, path: "\(path)[\(index)]", violations: &violations)
                }
            }
            value = .array(items)
        case .string(let text):
            if case .number(let min)? = keys["minLength"], Double(text.count) < min {
                violations.append(Violation(path: path, message: "must be at least \(Int(min)) character(s)"))
            }
            if case .number(let max)? = keys["maxLength"], Double(text.count) > max {
                violations.append(Violation(path: path, message: "must be at most \(Int(max)) character(s)"))
            }
            if case .string(let pattern)? = keys["pattern"], text.range(of: pattern, options: .regularExpression) == nil {
                violations.append(Violation(path: path, message: "does not match \(pattern)"))
            }
        case .number(let number):
            if case .number(let min)? = keys["minimum"], number < min {
                violations.append(Violation(path: path, message: "must be at least \(describeLiteral(.number(min)))"))
            }
            if case .number(let max)? = keys["maximum"], number > max {
                violations.append(Violation(path: path, message: "must be at most \(describeLiteral(.number(max)))"))
            }
        default:
            break
        }
        return value
    }

    /// The value as `type`, coercing unambiguous text and whole numbers; nil when it cannot be.
    static func fit(_ value: JSONValue, to type: String) -> JSONValue? {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number):
            return value
        case ("integer", .number(let number)):
            return number.rounded() == number ? value : nil
        case ("integer", .string(let text)):
            return Int(text.trimmingCharacters(in: .whitespaces)).map { .number(Double($0)) }
        case ("number", .string(let text)):
            return Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? .number($0) : nil }
        case ("boolean", .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case ("string", .number(let number)):
            return .string(describeLiteral(.number(number)))
        default:
            return nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string(let text): "the string \"\(text.prefix(40))\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func describeLiteral(_ value: JSONValue) -> String {
        switch value {
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: "\(Int(number))"
        case .number(let number): "\(number)"
        case .string(let text): "\"\(text)\""
        case .bool(let flag): "\(flag)"
        case .null: "null"
        default: describe(value)
        }
    }
}
