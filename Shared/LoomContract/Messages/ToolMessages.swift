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

/// Run one capability. Orchestrator → tools. The arguments are the model's, unmasked by the
/// trust layer; the tools service checks them against the capability's schema itself.
public struct ToolCallRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.toolCallRequest

    public var capability: String
    public var arguments: JSONValue
    /// `execution:step:toolCallId`: a side-effecting call with a key already seen is not run
    /// again; its recorded outcome is returned.
    public var idempotencyKey: String
    public var executionId: String

    public init(capability: String, arguments: JSONValue, idempotencyKey: String, executionId: String) {
        self.capability = capability
        self.arguments = arguments
        self.idempotencyKey = idempotencyKey
        self.executionId = executionId
    }
}

/// A tool's outcome in the shape the model gets back: success with a result, or a code, an
/// error, whether retrying may help, and guidance on what to do instead.
public struct ToolCallResult: MessagePayload, Equatable {
    public static let kind = MessageKind.toolCallResult

    public var success: Bool
    public var result: JSONValue?
    public var code: String?
    public var error: String?
    public var retryable: Bool
    public var guidance: String?
    /// True when this is the recorded outcome of an earlier call with the same key.
    public var replayed: Bool

    public init(
        success: Bool, result: JSONValue? = nil, code: String? = nil, error: String? = nil, retryable: Bool = false, guidance: String? = nil,
        replayed: Bool = false
    ) {
        self.success = success
        self.result = result
        self.code = code
        self.error = error
        self.retryable = retryable
        self.guidance = guidance
        self.replayed = replayed
    }

    public static func failure(_ code: String, _ error: String, retryable: Bool = false, guidance: String? = nil) -> ToolCallResult {
        ToolCallResult(success: false, code: code, error: error, retryable: retryable, guidance: guidance)
    }

    /// Failures that show the call was not performed (the ledger could not be written, the same
    /// key is running now), or that its answer was lost between the services. Asking again under
    /// the same idempotency key cannot act twice, since the ledger answers a repeat, so even an
    /// irreversible call is asked again after one of these.
    public static let notPerformedCodes: Set<String> = [
        "store_unavailable", "in_progress", "tool_unavailable", "dependency_unavailable", "cancelled",
    ]
}
