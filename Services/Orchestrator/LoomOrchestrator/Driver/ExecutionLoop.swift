import Foundation
import LoomContract
import LoomServiceRuntime
import Logging

/// The thin loop around a decision core: it loads the execution's history, asks the core what
/// to do, commits the round (the answers the decision was made from, its trace steps, and the
/// side-effecting calls about to go out) in one transaction, carries out the calls, and goes
/// round until the core ends the execution. No answer is acted on before it is committed: the
/// calls and the ending that follow from it wait for that round's commit. Driving an execution again after a crash starts from the recorded answers and
/// sends only the calls whose answers are missing, under the same ids.
struct ExecutionLoop: Sendable {
    let database: OrchestratorDatabase
    let performer: CallPerformer
    let logger: Logger
    /// A safe point before calls go out: throws to stop the execution (cancelled, superseded).
    let checkpoint: @Sendable () async throws -> Void

    /// Why the loop stopped without an ending.
    enum Interruption: Error {
        /// The history could not be read or written; the execution stays pending and is driven again.
        case storeUnavailable(any Error)
        /// The core neither ended nor asked for anything: a defect, reported rather than spun on.
        case stalled
    }

    func run(_ executionId: String, decide: (_ known: [String: RecordedOutcome]) -> CoreDecision) async throws -> CoreEnding {
        var known: [String: RecordedOutcome] = [:]
        do {
            for recorded in try await database.calls(of: executionId) {
                if let outcome = recorded.outcome { known[recorded.call.id] = outcome }
            }
        } catch {
            throw Interruption.storeUnavailable(error)
        }
        var written: [Int: ExecutionStep] = [:]
        var answers: [(ExecutionCall, RecordedOutcome)] = []
        while true {
            let decision = decide(known)
            let fresh = decision.steps.filter { step in
                guard let earlier = written[step.sequence] else { return true }
                return earlier.type != step.type || earlier.content != step.content
            }
            // Side-effecting calls are on record as started before they go out: a crash now
            // leaves them to be resent under the same ids and idempotency keys.
            let starting = decision.calls.filter(\.request.hasSideEffects)
            if !answers.isEmpty || !fresh.isEmpty || !starting.isEmpty || decision.trigger != nil && written.isEmpty {
                do {
                    try await database.recordRound(
                        executionId, answers: answers, starting: starting, steps: fresh, trigger: decision.trigger,
                        at: performer.services.now())
                } catch {
                    throw Interruption.storeUnavailable(error)
                }
                for step in fresh { written[step.sequence] = step }
                answers = []
            }
            if let ending = decision.ending { return ending }
            guard !decision.calls.isEmpty else {
                throw Interruption.stalled
            }
            try await checkpoint()
            let snapshot = known
            answers = await withTaskGroup(of: (ExecutionCall, RecordedOutcome).self) { group in
                for call in decision.calls {
                    group.addTask {
                        let outcome = await performer.perform(call, known: snapshot)
                        // A crash from here until the next round's commit loses the answer; the
                        // call is sent again under the same id and idempotency key.
                        CrashPoints.shared.reach("orchestrator.answered.\(call.request.kind)")
                        return (call, outcome)
                    }
                }
                return await group.reduce(into: [(ExecutionCall, RecordedOutcome)]()) { $0.append($1) }
            }
            for (call, outcome) in answers { known[call.id] = outcome }
        }
    }
}
