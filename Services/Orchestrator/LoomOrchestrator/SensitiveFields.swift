import LoomConfig
import LoomContract

/// Which string leaves of a record-shaped value are sensitive by schema: the fields that
/// `records.yaml` marks `sensitive` for the record's object type, found under `fields` next to
/// an `objectType` (a record) or inside its `records` list (a query's answer). The kind is the
/// field name in capitals, so `email` becomes `[EMAIL_n]` and `name` becomes `[NAME_n]`.
enum SensitiveFields {
    /// One entry per leaf, in ``JSONValue/stringLeaves`` order: the kind to mask it whole as, or nil.
    static func leafKinds(of value: JSONValue, records: RecordStoreSeed) -> [String?] {
        kinds(value, objectType: nil, sensitive: [], records: records)
    }

    private static func kinds(_ value: JSONValue, objectType: String?, sensitive: Set<String>, records: RecordStoreSeed) -> [String?] {
        switch value {
        case .string: return [nil]
        case .array(let items): return items.flatMap { kinds($0, objectType: objectType, sensitive: sensitive, records: records) }
        case .object(let map):
            let type = map["objectType"]?.stringValue ?? objectType
            let fields = type.flatMap { records.objects[$0]?.sensitive } ?? []
            return map.sorted { $0.key < $1.key }.flatMap { key, child -> [String?] in
                if key == "fields", case .object(let values) = child {
                    return values.sorted { $0.key < $1.key }.flatMap { field, leaf -> [String?] in
                        guard fields.contains(field) else { return kinds(leaf, objectType: type, sensitive: [], records: records) }
                        return leaf.stringLeaves.map { _ in field.uppercased() }
                    }
                }
                return kinds(child, objectType: type, sensitive: sensitive, records: records)
            }
        default: return []
        }
    }
}
