/// Read one record from the tool executor's record store.
public struct RecordGetRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.recordGetRequest
    public var objectType: String
    public var recordId: String

    public init(objectType: String, recordId: String) {
        self.objectType = objectType
        self.recordId = recordId
    }
}

public struct RecordGetResult: MessagePayload, Equatable {
    public static let kind = MessageKind.recordGetResult
    public var objectType: String
    public var recordId: String
    /// Field values, as JSON scalars rendered to strings; nil when no such record exists.
    public var fields: [String: JSONValue]?

    public init(objectType: String, recordId: String, fields: [String: JSONValue]?) {
        self.objectType = objectType
        self.recordId = recordId
        self.fields = fields
    }
}
