import Foundation
import LoomConfig
import LoomContract

/// Walks an execution's flow from its start over the recorded answers, collecting the trace and
/// stopping where an answer is missing. Walking is pure: the same history gives the same
/// decision, which is what lets a restarted orchestrator and an offline replay agree with the
/// run that recorded it.
struct DecisionWalk {
    let executionId: String
    let known: [String: RecordedOutcome]
    private(set) var decision = CoreDecision()
    /// The latest time the walk has seen: the decision is made no earlier than this.
    private(set) var now: Date

    init(executionId: String, known: [String: RecordedOutcome], start: Date) {
        self.executionId = executionId
        self.known = known
        self.now = start
    }

    /// The recorded answer to the call, or nil after adding the call to those needed now.
    mutating func ask(_ id: String, _ request: CallRequest) -> RecordedOutcome? {
        guard let recorded = known[id] else {
            decision.calls.append(ExecutionCall(id: id, request: request))
            return nil
        }
        now = max(now, recorded.finishedAt)
        return recorded
    }

    /// Like ``ask(_:_:)``, retrying a retryable failure within `budget`: attempt n has the id
    /// `id#n` (the first keeps `id`), and a recorded wait sits between attempts. Returns the
    /// answer of the last attempt, or nil while one is missing.
    /// - Parameter retries: which retryable failures may be retried (all by default).
    mutating func askRetrying(
        _ id: String, budget: RetryBudget, noteStep: Int? = nil, retries: (CallFailure) -> Bool = { _ in true },
        _ request: (_ attempt: Int) -> CallRequest
    ) -> RecordedOutcome? {
        var attempt = 1
        var firstStarted: Date?
        while true {
            let attemptId = attempt == 1 ? id : "\(id)#\(attempt)"
            guard let outcome = ask(attemptId, request(attempt)) else { return nil }
            firstStarted = firstStarted ?? outcome.startedAt
            guard let failure = outcome.outcome.failure ?? Self.retryableToolFailure(outcome.outcome), failure.retryable,
                retries(failure), let delay = budget.delayMilliseconds(
                    afterAttempt: attempt, elapsedSeconds: outcome.finishedAt.timeIntervalSince(firstStarted ?? outcome.startedAt))
            else { return outcome }
            if let noteStep {
                note(
                    StepNumbers.retryNote(step: noteStep, attempt: attempt), .policyDecision,
                    "retry: attempt \(attempt) failed (\(failure.code): \(failure.message)); trying again in \(delay) ms")
            }
            guard ask("\(id)~wait\(attempt)", .wait(milliseconds: delay)) != nil else { return nil }
            attempt += 1
        }
    }

    private static func retryableToolFailure(_ outcome: CallOutcome) -> CallFailure? {
        guard case .tool(let tool) = outcome, !tool.succeeded, tool.retryable else { return nil }
        return CallFailure(code: tool.code ?? "tool_failed", message: "the tool reported a retryable failure", retryable: true)
    }

    /// Adds a step to the trace, stamped with the walk's time.
    mutating func note(
        _ sequence: Int, _ type: ExecutionStep.StepType, _ content: String, capability: String? = nil,
        started: Date? = nil, finished: Date? = nil, usage: TokenUsage? = nil, provider: String? = nil
    ) {
        let startedAt = started ?? now
        let duration = finished.map { max($0.timeIntervalSince(startedAt), 0) * 1000 } ?? 0
        decision.steps.append(ExecutionStep(
            executionId: executionId, sequence: sequence, type: type, content: content, capability: capability,
            startedAt: startedAt, durationMs: duration, usage: usage, provider: provider))
    }

    mutating func setTrigger(_ text: String) { decision.trigger = text }

    /// Ends the walk with the execution's ending (nothing may be missing).
    mutating func end(_ ending: CoreEnding) -> CoreDecision {
        if decision.calls.isEmpty { decision.ending = ending }
        return decision
    }

    /// Stops the walk where an answer is missing.
    func pending() -> CoreDecision { decision }

    /// How many times the execution was resumed after waiting for approvals.
    var resumptions: Int {
        let prefix = "\(executionId):resume:"
        return known.keys.count { $0.hasPrefix(prefix) }
    }

    static func resumeId(_ executionId: String, _ number: Int) -> String { "\(executionId):resume:\(number)" }
}
