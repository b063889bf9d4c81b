import Foundation
import LoomContract

/// The answer to an ``ExecutionCall``, as recorded in the execution's history.
enum CallOutcome: Codable, Equatable, Sendable {
    case grants(PrincipalGrants)
    case masked(String)
    case maskedTexts([String])
    case turnStart(TurnStart)
    /// Nil when the preset is off or nothing was found.
    case assessment(Assessment?)
    case context(ContextOutcome)
    case summary(String?)
    case completion(CompletionResult)
    case approval(ApprovalOutcome)
    case question(String)
    case done
    case tool(ToolOutcome)
    case waited
    case unmasked(String)
    case value(JSONValue)
    /// The call did not get an answer, or got a failure; `retryable` says whether asking again
    /// may help.
    case failed(CallFailure)

    var failure: CallFailure? {
        if case .failed(let failure) = self { failure } else { nil }
    }
}

/// A recorded answer with the times around it: time reaches the core only this way.
struct RecordedOutcome: Codable, Equatable, Sendable {
    var outcome: CallOutcome
    var startedAt: Date
    var finishedAt: Date
}

struct CallFailure: Codable, Equatable, Sendable, Error {
    var code: String
    var message: String
    var retryable: Bool
}

/// What the execution's own records hold when a turn starts.
struct TurnStart: Codable, Equatable, Sendable {
    /// Messages this turn answers together with its own, oldest first (already masked).
    var absorbedTexts: [String]
    /// Earlier completed turns of the session, oldest first (masked).
    var history: [PromptBuilder.Turn]
    /// The confirmation question an earlier turn asked, which this message answers.
    var pendingConfirmation: PendingConfirmation?
    /// The time the turn read: the prompt's current date and time.
    var now: Date
}

/// The confirmation question an earlier turn left pending.
struct PendingConfirmation: Codable, Equatable, Sendable {
    var id: String
    var executionId: String
    var callId: String
    var capability: String
    /// The conversation up to and including the assistant message with the calls.
    var messages: [ChatMessage]
}

/// A prompt-safety finding.
struct Assessment: Codable, Equatable, Sendable {
    /// Whether the text must not go to the model.
    var blocks: Bool
    /// What is recorded on the execution's trace.
    var note: String
}

/// The filled context blocks and why `warn` blocks were left out.
struct ContextOutcome: Codable, Equatable, Sendable {
    var blocks: [PromptBuilder.ContextBlock]
    var warnings: [String]
}

/// Where an approval stands.
enum ApprovalOutcome: Codable, Equatable, Sendable {
    case approved
    case pending(approvalId: String)
    /// Not approved (rejected, expired, or for other arguments): this is the call's result.
    case refused(ToolCallResult)
}

/// What a tool call came to, ready for the model.
struct ToolOutcome: Codable, Equatable, Sendable {
    /// The tool message's content: the masked result (or a withheld-result notice).
    var content: String
    var succeeded: Bool
    /// Whether the call failed in a way that asking again may fix (nothing happened).
    var retryable: Bool
    /// The failure code, when it failed.
    var code: String?
    /// The prompt-safety note on the result, when there was a finding.
    var safetyNote: String?
}
