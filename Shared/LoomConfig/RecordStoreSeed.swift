import LoomContract

/// Object types of the tools service's record store and the sample records it starts with.
public struct RecordStoreSeed: Sendable, Codable, Equatable {
    public struct ObjectType: Sendable, Codable, Equatable {
        /// Field name → type (`string`, `number`, `boolean`).
        public var fields: [String: String]
    }

    public var objects: [String: ObjectType]
    /// Object type → records; each record needs a string `id`.
    public var records: [String: [[String: JSONValue]]]

    public init(objects: [String: ObjectType] = [:], records: [String: [[String: JSONValue]]] = [:]) {
        self.objects = objects
        self.records = records
    }
}
