import Foundation

/// A tool call waiting for (or decided by) a human approver, kept by the trust service.
public struct ApprovalRecord: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case pending, approved, rejected, expired }

    public var id: String
    public var executionId: String
    public var sessionId: String?
    public var agent: String
    public var capability: String
    /// SHA-256 of the capability and the exact arguments; the decision holds for these only.
    public var argumentsHash: String
    /// The arguments as the approver sees them (masked).
    public var arguments: JSONValue
    public var principal: String
    public var route: String
    public var approvers: [String]
    public var status: Status
    public var createdAt: Date
    public var expiresAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var reason: String?

    public init(
        id: String, executionId: String, sessionId: String?, agent: String, capability: String, argumentsHash: String, arguments: JSONValue,
        principal: String, route: String, approvers: [String], status: Status, createdAt: Date, expiresAt: Date, decidedBy: String? = nil,
        decidedAt: Date? = nil, reason: String? = nil
    ) {
        self.id = id
        self.executionId = executionId
        self.sessionId = sessionId
        self.agent = agent
        self.capability = capability
        self.argumentsHash = argumentsHash
        self.arguments = arguments
        self.principal = principal
        self.route = route
        self.approvers = approvers
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.reason = reason
    }
}

/// Open the approval for one tool call, or get the one already opened for it (the same
/// execution, step and call always name the same approval).
public struct ApprovalOpenRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalOpen
    public var id: String
    public var executionId: String
    public var sessionId: String?
    public var agent: String
    public var capability: String
    public var argumentsHash: String
    public var arguments: JSONValue
    public var principal: String

    public init(
        id: String, executionId: String, sessionId: String?, agent: String, capability: String, argumentsHash: String, arguments: JSONValue,
        principal: String
    ) {
        self.id = id
        self.executionId = executionId
        self.sessionId = sessionId
        self.agent = agent
        self.capability = capability
        self.argumentsHash = argumentsHash
        self.arguments = arguments
        self.principal = principal
    }
}

/// The current state of some approvals (expiry applied).
public struct ApprovalStatusQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalStatusQuery
    public var ids: [String]
    public init(ids: [String]) { self.ids = ids }
}

/// The approvals an approver may decide; `token` names the approver.
public struct ApprovalListQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalListQuery
    public var status: ApprovalRecord.Status?
    public var limit: Int
    public var token: String
    public init(status: ApprovalRecord.Status? = .pending, limit: Int = 100, token: String) {
        self.status = status
        self.limit = limit
        self.token = token
    }
}

public struct ApprovalListResult: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalListResult
    public var approvals: [ApprovalRecord]
    public init(approvals: [ApprovalRecord]) { self.approvals = approvals }
}

/// An approver's decision; `token` must belong to one of the approval's approver groups.
public struct ApprovalDecisionRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalDecision
    public var id: String
    public var approve: Bool
    public var token: String
    /// Who decided, for the record (the group is always recorded).
    public var actor: String?
    public var reason: String?

    public init(id: String, approve: Bool, token: String, actor: String?, reason: String?) {
        self.id = id
        self.approve = approve
        self.token = token
        self.actor = actor
        self.reason = reason
    }
}

/// One approval, after opening or deciding it.
public struct ApprovalResult: MessagePayload, Equatable {
    public static let kind = MessageKind.approvalResult
    public var approval: ApprovalRecord
    public init(approval: ApprovalRecord) { self.approval = approval }
}
