import LoomConfig

/// Who an HTTP request acts for, once its bearer token is recognised.
struct HTTPPrincipal: Sendable, Equatable {
    enum Origin: Sendable, Equatable {
        /// An entry of `clients.yaml` (or the operator token `loom up` hands the ingress).
        case client
        /// A token of an approver group in `trust.yaml`: an approver known by its group.
        case approverGroup
    }

    var name: String
    var role: ClientToken.Role
    var origin: Origin

    /// The identity executions are recorded under and idempotency keys are scoped to.
    var id: String { origin == .approverGroup ? "approvers:\(name)" : "token:\(name)" }

    /// Who is recorded as having decided. A group's token names no one in it; the trust
    /// service records the group.
    var actor: String? { origin == .client ? name : nil }
}

/// What a request asks to do, as far as permissions go.
enum HTTPAction: Sendable, Equatable {
    case sendMessage
    /// Read an execution's events; `owner` is the principal id the execution was started under.
    case readExecution(owner: String?)
    case cancelExecution
    case closeSession
    case listDrafts
    case decideDraft
    case listApprovals
    case decideApproval

    var summary: String {
        switch self {
        case .sendMessage: "send messages"
        case .readExecution: "read this execution"
        case .cancelExecution: "cancel executions"
        case .closeSession: "close sessions"
        case .listDrafts: "list held replies"
        case .decideDraft: "send, approve or reject held replies"
        case .listApprovals: "list approvals"
        case .decideApproval: "decide approvals"
        }
    }

    /// Whether anyone may do it without a token while no client tokens are configured.
    var isOpenWithoutClients: Bool {
        switch self {
        case .sendMessage, .readExecution(owner: nil): true
        default: false
        }
    }
}
