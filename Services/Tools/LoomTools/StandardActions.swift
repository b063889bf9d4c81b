import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore

/// The standard record actions over the tools service's record store. Each runs inside the
/// caller's transaction (so a side effect and its ledger entry commit together) and answers in
/// the model-facing result shape; what the model may touch is limited by the capability's
/// admin-owned backend (`objectTypes`, `fields`, `maxResults`).
struct StandardActions {
    let schema: RecordStoreSeed
    let capability: CapabilityDefinition

    struct Refusal: Error {
        var result: ToolCallResult
        init(_ code: String, _ error: String, guidance: String? = nil) {
            result = .failure(code, error, guidance: guidance)
        }
    }

    func run(_ action: String, _ arguments: [String: JSONValue], key: String, in db: Database) throws -> JSONValue {
        switch action {
        case "get_record": return try get(arguments, db)
        case "query_records": return try query(arguments, db)
        case "create_record": return try create(arguments, key: key, db)
        case "update_record": return try update(arguments, db)
        case "post_note": return try postNote(arguments, key: key, db)
        default: throw Refusal("unknown_action", "'\(action)' is not a standard action")
        }
    }

    // MARK: Actions

    private func get(_ arguments: [String: JSONValue], _ db: Database) throws -> JSONValue {
        let type = try objectType(arguments)
        let id = try string(arguments, "recordId")
        guard let fields = try Self.fetch(db, type: type, id: id) else {
            throw Refusal("not_found", "no \(type) with id '\(id)'", guidance: "check the id, or search with query_records")
        }
        return .object(["objectType": .string(type), "id": .string(id), "fields": .object(fields)])
    }

    private func query(_ arguments: [String: JSONValue], _ db: Database) throws -> JSONValue {
        let type = try objectType(arguments)
        let filters: [String: JSONValue] = if case .object(let map)? = arguments["filters"] { map } else { [:] }
        for name in filters.keys where schema.objects[type]?.fields[name] == nil && name != "id" {
            throw Refusal("unknown_field", "\(type) has no field '\(name)'", guidance: "filter on: \(fieldList(type))")
        }
        let cap = try Self.count(capability.backend["maxResults"], name: "maxResults") ?? 20
        let limit = min(try Self.count(arguments["limit"], name: "limit") ?? cap, cap)
        var matches: [JSONValue] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, fields FROM record WHERE objectType = ? ORDER BY id", arguments: [type]) {
            let fields = try Self.decode(row["fields"])
            let all = fields.merging(["id": .string(row["id"])]) { a, _ in a }
            guard filters.allSatisfy({ all[$0.key] == $0.value }) else { continue }
            matches.append(.object(["id": .string(row["id"]), "fields": .object(fields)]))
            if matches.count == limit { break }
        }
        return .object(["objectType": .string(type), "count": .number(Double(matches.count)), "records": .array(matches)])
    }

    private func create(_ arguments: [String: JSONValue], key: String, _ db: Database) throws -> JSONValue {
        let type = try objectType(arguments)
        let fields = try allowedFields(arguments, type: type)
        // Derived from the idempotency key: the same call names the same record.
        let id = "\(type.prefix(1).uppercased())-\(MessageID.derived("r", from: key).suffix(8))"
        try db.execute(
            sql: "INSERT INTO record (objectType, id, fields, updatedAt) VALUES (?, ?, ?, ?)",
            arguments: [type, id, try Self.encode(fields), Date().timeIntervalSince1970])
        return .object(["objectType": .string(type), "id": .string(id), "fields": .object(fields)])
    }

    private func update(_ arguments: [String: JSONValue], _ db: Database) throws -> JSONValue {
        let type = try objectType(arguments)
        let id = try string(arguments, "recordId")
        let changes = try allowedFields(arguments, type: type)
        guard var fields = try Self.fetch(db, type: type, id: id) else {
            throw Refusal("not_found", "no \(type) with id '\(id)'", guidance: "check the id, or search with query_records")
        }
        fields.merge(changes) { _, new in new }
        try db.execute(
            sql: "UPDATE record SET fields = ?, updatedAt = ? WHERE objectType = ? AND id = ?",
            arguments: [try Self.encode(fields), Date().timeIntervalSince1970, type, id])
        return .object(["objectType": .string(type), "id": .string(id), "fields": .object(fields), "changed": .array(changes.keys.sorted().map(JSONValue.string))])
    }

    private func postNote(_ arguments: [String: JSONValue], key: String, _ db: Database) throws -> JSONValue {
        let type = try objectType(arguments)
        let id = try string(arguments, "recordId")
        let text = try string(arguments, "text")
        guard try Self.fetch(db, type: type, id: id) != nil else {
            throw Refusal("not_found", "no \(type) with id '\(id)'", guidance: "check the id, or search with query_records")
        }
        let noteId = "N-\(MessageID.derived("n", from: key).suffix(8))"
        try db.execute(
            sql: "INSERT INTO note (id, objectType, recordId, text, createdAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [noteId, type, id, text, Date().timeIntervalSince1970])
        return .object(["noteId": .string(noteId), "objectType": .string(type), "recordId": .string(id)])
    }

    // MARK: Arguments and limits

    /// The object type: the argument, or the capability's only one; always one it allows.
    private func objectType(_ arguments: [String: JSONValue]) throws -> String {
        let allowed: [String] = if case .array(let list)? = capability.backend["objectTypes"] { list.compactMap(\.stringValue) } else { [] }
        let type = arguments["objectType"]?.stringValue ?? (allowed.count == 1 ? allowed[0] : "")
        guard schema.objects[type] != nil, allowed.isEmpty || allowed.contains(type) else {
            throw Refusal(
                "object_type_not_allowed", "this capability cannot use object type '\(type)'",
                guidance: allowed.isEmpty ? nil : "use one of: \(allowed.joined(separator: ", "))")
        }
        return type
    }

    /// A whole, non-negative count from JSON. The model may send 1e300, -5, 2.5 or NaN where
    /// the schema sets no bounds; `Int(_:)` would trap on the first and the last.
    static func count(_ value: JSONValue?, name: String) throws -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.isFinite, number >= 0, number.rounded() == number,
            number <= Double(Int32.max)
        else {
            throw Refusal("invalid_arguments", "'\(name)' must be a whole number from 0 to \(Int32.max)")
        }
        return Int(number)
    }

    private func string(_ arguments: [String: JSONValue], _ name: String) throws -> String {
        guard let value = arguments[name]?.stringValue, !value.isEmpty else { throw Refusal("missing_argument", "'\(name)' is required") }
        return value
    }

    /// `fields`, limited to the object type's declared fields and the capability's `fields`.
    private func allowedFields(_ arguments: [String: JSONValue], type: String) throws -> [String: JSONValue] {
        guard case .object(let fields)? = arguments["fields"], !fields.isEmpty else { throw Refusal("missing_argument", "'fields' is required") }
        let permitted: [String]? = if case .array(let list)? = capability.backend["fields"] { list.compactMap(\.stringValue) } else { nil }
        for name in fields.keys.sorted() {
            guard schema.objects[type]?.fields[name] != nil else {
                throw Refusal("unknown_field", "\(type) has no field '\(name)'", guidance: "fields: \(fieldList(type))")
            }
            if let permitted, !permitted.contains(name) {
                throw Refusal("field_not_allowed", "this capability may not change '\(name)'", guidance: "it may change: \(permitted.joined(separator: ", "))")
            }
        }
        return fields
    }

    private func fieldList(_ type: String) -> String { (schema.objects[type]?.fields.keys.sorted() ?? []).joined(separator: ", ") }

    static func fetch(_ db: Database, type: String, id: String) throws -> [String: JSONValue]? {
        try String.fetchOne(db, sql: "SELECT fields FROM record WHERE objectType = ? AND id = ?", arguments: [type, id]).map(decode)
    }

    static func decode(_ json: String) throws -> [String: JSONValue] {
        try WireCodec.decodeStored([String: JSONValue].self, from: json)
    }

    static func encode(_ fields: [String: JSONValue]) throws -> String {
        try WireCodec.encodeText(fields)
    }
}
