import Foundation
import LoomContract

/// What a decision core wants next, given the execution's history so far.
struct CoreDecision: Equatable, Sendable {
    /// The execution's trace as far as the history goes, in the order it was decided.
    var steps: [ExecutionStep] = []
    /// The masked text the execution answers, once known (shown as the session's user turn).
    var trigger: String?
    /// Calls whose answers are missing and are needed now; they may run concurrently.
    var calls: [ExecutionCall] = []
    /// How the execution ends, once every call it needs has its answer.
    var ending: CoreEnding?
}

/// How an execution ends.
enum CoreEnding: Codable, Equatable, Sendable {
    /// Answered: the masked answer for the record and the reply with the originals restored.
    case completed(maskedAnswer: String, reply: String, usage: TokenUsage)
    /// Failed, with a reply for the user (nil: the polite default).
    case failed(ExecutionError, reply: String?, usage: TokenUsage?)
    /// Waiting for approvals; driven again once they are decided.
    case paused(approvalIds: [String])
}

/// Step numbers. The user turn is 1; each processing cycle then takes an `llmRequest` and an
/// `llmResponse`, and two more (`toolCall`, `toolResult`) per tool call, in order; the answer
/// follows the last cycle. Notes are numbered apart from the turn's own steps.
enum StepNumbers {
    static let userTurn = 1
    static let firstCycle = 2
    static let error = 999_999
    /// Notes on context blocks left out (`warn`).
    static let contextWarnings = 900_000
    /// Prompt-safety assessments: of the turn at this number, of a tool result at this plus its step.
    static let promptSafety = 899_000
    /// Refusals of tool calls, at this plus the call's step.
    static let refusal = 898_000
    /// The answer to the previous turn's confirmation question.
    static let confirmation = 897_999
    /// Approval requests, at this plus the call's step.
    static let approval = 897_000
    /// Retries, at this plus 32 × the call's step plus the attempt that failed.
    static let retry = 600_000

    static func retryNote(step: Int, attempt: Int) -> Int { retry + step * 32 + min(attempt, 31) }
}
