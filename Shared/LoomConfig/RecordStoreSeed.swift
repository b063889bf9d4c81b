import LoomContract

/// Object types of the tools service's record store and the sample records it starts with.
public struct RecordStoreSeed: Sendable, Codable, Equatable {
    public struct ObjectType: Sendable, Codable, Equatable {
        /// Field name → type (`string`, `number`, `boolean`).
        public var fields: [String: String]
        /// Fields masked whole before a model sees them, whatever they contain.
        public var sensitive: [String]

        public init(fields: [String: String], sensitive: [String] = []) {
            self.fields = fields
            self.sensitive = sensitive
        }

        enum CodingKeys: String, CodingKey { case fields, sensitive }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            fields = try c.decode([String: String].self, forKey: .fields)
            sensitive = try c.decodeIfPresent([String].self, forKey: .sensitive) ?? []
        }
    }

    public var objects: [String: ObjectType]
    /// Object type → records; each record needs a string `id`.
    public var records: [String: [[String: JSONValue]]]

    public init(objects: [String: ObjectType] = [:], records: [String: [[String: JSONValue]]] = [:]) {
        self.objects = objects
        self.records = records
    }
}
