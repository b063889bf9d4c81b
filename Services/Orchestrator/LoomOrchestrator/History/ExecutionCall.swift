import Foundation
import LoomContract

/// Something an execution asks of the world outside its own decisions: another service, its own
/// records, or the clock. The decision core names each call with an id that is stable within the
/// execution, so a recorded answer is found again under the same id when the execution is driven
/// again, and a call is only ever sent when its answer is missing.
struct ExecutionCall: Codable, Equatable, Sendable {
    var id: String
    var request: CallRequest
}

/// What a call asks.
enum CallRequest: Codable, Equatable, Sendable {
    /// Who the principal is and what its roles grant (trust).
    case grants(PrincipalGrantsQuery)
    /// Masks the user's message (trust).
    case maskTurn(text: String, preset: String)
    /// Masks the caller's own instructions and earlier messages, in one scope with the turn (trust).
    case maskTexts(texts: [String], preset: String)
    /// The execution's own records as the turn starts: messages it answers together with its own,
    /// earlier completed turns, the question an earlier turn asked, and the time.
    case turnStart
    /// Reads the clock; the answer's time is the time read.
    case clock
    /// Prompt safety on the (masked) inbound text, with provider moderation when configured.
    case screenInbound(text: String)
    /// Fills the agent's context blocks (records, session, principal), masked.
    case context(earlierTexts: [String])
    /// The session summary kept for `summaryBuffer` memory.
    case summary
    /// A model answer (gateway).
    case complete(CompletionRequest)
    /// Opens or looks up the approval of a tool call (trust); `round` counts resumptions.
    case approval(call: ToolCall, round: Int)
    /// Remembers a confirmation question; the session's next message answers it.
    case ask(call: ToolCall, messages: [ChatMessage])
    /// Records the answer to an earlier turn's confirmation question.
    case answerConfirmation(id: String, confirmed: Bool)
    /// Runs one tool call, or records the given result instead (refusal or preset).
    case invoke(ToolInvocation)
    /// Waits before retrying; the answer is the time after waiting.
    case wait(milliseconds: Int)
    /// Restores the originals in text bound for the user (trust).
    case unmask(text: String)
    /// Appends an entry to the audit log (trust).
    case audit(AuditEntry)
    /// Masks a direct run's input, leaf by leaf.
    case maskInput(JSONValue)
    /// Restores the originals in a direct run's output.
    case unmaskOutput(JSONValue)

    /// A short name for the kind of call, for the journal and for replay reports.
    var kind: String {
        switch self {
        case .grants: "grants"
        case .maskTurn: "mask"
        case .maskTexts: "mask-history"
        case .turnStart: "turn-start"
        case .clock: "clock"
        case .screenInbound: "screen"
        case .context: "context"
        case .summary: "summary"
        case .complete: "model"
        case .approval: "approval"
        case .ask: "ask"
        case .answerConfirmation: "confirmation"
        case .invoke: "tool"
        case .wait: "wait"
        case .unmask: "unmask"
        case .audit: "audit"
        case .maskInput: "mask-input"
        case .unmaskOutput: "unmask-output"
        }
    }

    /// Whether sending it again could act twice; such calls are recorded as started before they
    /// are sent and resent only with the same idempotency key.
    var hasSideEffects: Bool {
        switch self {
        case .invoke, .ask, .answerConfirmation, .approval, .audit: true
        default: false
        }
    }

    /// Whether the execution may wait long on it (a model call, a retry's wait). What the turn
    /// has decided so far is committed before such a call, so its trace shows where it is
    /// while it waits, and a newer message that supersedes it finds the text it answers.
    var mayTakeLong: Bool {
        switch self {
        case .complete, .wait: true
        default: false
        }
    }
}

/// One tool call as the core hands it to the tools: what to run, under which key, or what to
/// record instead of running it.
struct ToolInvocation: Codable, Equatable, Sendable {
    var call: ToolCall
    /// The step the call's trace starts at; its result is `sequence + 1`.
    var sequence: Int
    /// Which attempt this is (1 for the first); retries keep the idempotency key.
    var attempt: Int
    var idempotencyKey: String
    /// Why the call may not run; recorded as a policy decision and audited.
    var refusal: ToolRefusal?
    /// The result to record instead of running the call (a declined confirmation, a rejected
    /// or expired approval).
    var preset: ToolCallResult?
}

/// Why a tool call may not run: the flow or the principal's permissions.
struct ToolRefusal: Codable, Equatable, Sendable {
    var code: String
    var reason: String
    var guidance: String
    /// The audit entry's subject, e.g. `tool-flow` or `permission`.
    var policy: String
}

/// An audit entry the core asks for.
struct AuditEntry: Codable, Equatable, Sendable {
    var action: String
    var subject: String
    var detail: [String: String]
    var key: String
}
