import Foundation

/// One entry of the trust service's hash-chained audit log.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var sequence: Int
    public var recordedAtMilliseconds: Int64
    /// `masking`, `policy`, `permission`, `approval`, …
    public var category: String
    public var executionId: String?
    /// What the entry is about, e.g. `prompt-safety`, `tool:update_case_status`.
    public var subject: String
    /// Decisions and counts, never originals.
    public var detail: [String: String]
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int, recordedAtMilliseconds: Int64, category: String, executionId: String?, subject: String, detail: [String: String],
        previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.recordedAtMilliseconds = recordedAtMilliseconds
        self.category = category
        self.executionId = executionId
        self.subject = subject
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Append a decision to the audit log.
public struct AuditAppend: MessagePayload, Equatable {
    public static let kind = MessageKind.auditAppend
    public var category: String
    public var executionId: String?
    public var subject: String
    public var detail: [String: String]

    public init(category: String, executionId: String?, subject: String, detail: [String: String]) {
        self.category = category
        self.executionId = executionId
        self.subject = subject
        self.detail = detail
    }
}

public struct AuditAppended: MessagePayload, Equatable {
    public static let kind = MessageKind.auditAppended
    public var sequence: Int
    public var hash: String
    public init(sequence: Int, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// Check the whole chain.
public struct AuditVerifyQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.auditVerifyQuery
    public init() {}
}

public struct AuditVerification: MessagePayload, Equatable {
    public static let kind = MessageKind.auditVerification
    /// Entries checked before the first problem (all of them when valid).
    public var entries: Int
    public var valid: Bool
    public var brokenAt: Int?
    public var problem: String?
    /// The hash of the last good entry: record it elsewhere to anchor the log.
    public var headHash: String

    public init(entries: Int, valid: Bool, brokenAt: Int?, problem: String?, headHash: String) {
        self.entries = entries
        self.valid = valid
        self.brokenAt = brokenAt
        self.problem = problem
        self.headHash = headHash
    }
}

/// The latest entries, optionally of one execution.
public struct AuditListQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.auditListQuery
    public var executionId: String?
    public var limit: Int
    public init(executionId: String? = nil, limit: Int = 100) {
        self.executionId = executionId
        self.limit = limit
    }
}

public struct AuditListResult: MessagePayload, Equatable {
    public static let kind = MessageKind.auditListResult
    public var entries: [AuditEntry]
    public init(entries: [AuditEntry]) { self.entries = entries }
}
