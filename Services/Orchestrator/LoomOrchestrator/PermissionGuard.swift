import LoomConfig
import LoomContract

/// Holds tool calls to what the principal's roles grant: the capability itself, and for
/// record actions the object type and the fields written; results keep only readable fields.
struct PermissionGuard: Sendable {
    let grants: PrincipalGrants

    /// Why this call may not run for this principal, or nil.
    func refusal(_ name: String, capability: CapabilityDefinition, arguments: JSONValue) -> ToolRefusal? {
        guard grants.enforced else { return nil }
        guard grants.allows(capability: name) else {
            return deny("\(grants.principal) (roles: \(roleList)) may not use '\(name)'")
        }
        guard let action = capability.backend["action"]?.stringValue, let objectType = Self.objectType(capability, arguments) else { return nil }
        guard let access = grants.access(to: objectType) else {
            return deny("\(grants.principal) has no access to \(objectType) records")
        }
        let written: [String] = if case .object(let map) = arguments, case .object(let fields)? = map["fields"] { fields.keys.sorted() } else { [] }
        switch action {
        case "get_record", "query_records":
            return access.read.isEmpty ? deny("\(grants.principal) may not read \(objectType) records") : nil
        case "create_record":
            let refused = written.filter { !access.create.grants($0) }
            return access.create.isEmpty || !refused.isEmpty
                ? deny("\(grants.principal) may not create \(objectType) records" + Self.fields(refused)) : nil
        case "update_record", "post_note":
            let refused = written.filter { !access.update.grants($0) }
            return access.update.isEmpty || !refused.isEmpty
                ? deny("\(grants.principal) may not update \(objectType) records" + Self.fields(refused)) : nil
        default:
            return nil
        }
    }

    /// The result without the fields this principal may not read.
    func strip(_ result: JSONValue) -> JSONValue {
        guard grants.enforced else { return result }
        return strip(result, objectType: nil)
    }

    private func strip(_ value: JSONValue, objectType: String?) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map { strip($0, objectType: objectType) })
        case .object(let map):
            let type = map["objectType"]?.stringValue ?? objectType
            var result: [String: JSONValue] = [:]
            for (key, child) in map {
                if key == "fields", let type, case .object(let fields) = child {
                    let readable = grants.access(to: type)?.read ?? []
                    result[key] = .object(fields.filter { readable.grants($0.key) })
                } else {
                    result[key] = strip(child, objectType: type)
                }
            }
            return .object(result)
        default: return value
        }
    }

    private var roleList: String { grants.roles.isEmpty ? "none" : grants.roles.joined(separator: ", ") }

    private func deny(_ reason: String) -> ToolRefusal {
        ToolRefusal(
            code: "permission_denied", reason: reason, guidance: "tell the user this is not something you can do for them", policy: "permission")
    }

    private static func fields(_ names: [String]) -> String { names.isEmpty ? "" : " (fields: \(names.joined(separator: ", ")))" }

    static func objectType(_ capability: CapabilityDefinition, _ arguments: JSONValue) -> String? {
        if case .object(let map) = arguments, let type = map["objectType"]?.stringValue { return type }
        if case .array(let types)? = capability.backend["objectTypes"], types.count == 1 { return types[0].stringValue }
        return nil
    }
}
