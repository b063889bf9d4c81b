import Foundation
import LoomContract
import LoomServiceRuntime
import Logging

/// The thin loop around a decision core: it loads the execution's history, asks the core what
/// to do, carries out the calls, and goes round until the core ends the execution. Driving an
/// execution again after a crash starts from the recorded answers and sends only the calls
/// whose answers are missing, under the same ids.
///
/// It commits only where acting on an answer needs it on record, or a wait makes the progress
/// worth showing:
/// - before side-effecting calls go out: the answers so far, the trace steps, and those calls
///   (as started, so a crash leaves them to be resent under the same ids and keys);
/// - before a call that may take long (a model call, a retry's wait);
/// - with the ending: the last answers and steps are handed back as a ``OrchestratorDatabase/SealedRound``
///   and written in the ending's own transaction, with the reply.
///
/// A crash between two commits loses only answers to calls without side effects. Driving the
/// execution again asks them again under the same request ids, and every callee answers a
/// repeated id from its reply cache, or does work that gives the same answer again.
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

    /// How the core ended the execution, and the round its caller writes with the ending.
    struct Ended: Sendable {
        var ending: CoreEnding
        var round: OrchestratorDatabase.SealedRound
    }

    func run(
        _ executionId: String, decide: (_ known: [String: RecordedOutcome]) -> CoreDecision
    ) async throws -> Ended {
        var known: [String: RecordedOutcome] = [:]
        do {
            for recorded in try await database.calls(of: executionId) {
                if let outcome = recorded.outcome { known[recorded.call.id] = outcome }
            }
        } catch {
            throw Interruption.storeUnavailable(error)
        }
        var written: [Int: ExecutionStep] = [:]
        var pending = PendingRound()
        while true {
            let decision = decide(known)
            for step in decision.steps where Self.isNew(step, after: written[step.sequence]) {
                written[step.sequence] = step
                pending.steps[step.sequence] = step
            }
            if let trigger = decision.trigger, !pending.triggerSeen {
                pending.trigger = trigger
                pending.triggerSeen = true
            }
            let starting = decision.calls.filter(\.request.hasSideEffects)
            if let ending = decision.ending {
                return Ended(ending: ending, round: try seal(executionId, pending, starting: []))
            }
            guard !decision.calls.isEmpty else {
                throw Interruption.stalled
            }
            if !starting.isEmpty || decision.calls.contains(where: \.request.mayTakeLong) {
                let round = try seal(executionId, pending, starting: starting)
                do {
                    if !round.isEmpty { try await database.record(round) }
                } catch {
                    throw Interruption.storeUnavailable(error)
                }
                pending.clear()
            }
            try await checkpoint()
            let snapshot = known
            let answers = await withTaskGroup(of: (ExecutionCall, RecordedOutcome).self) { group in
                for call in decision.calls {
                    group.addTask {
                        let outcome = await performer.perform(call, known: snapshot)
                        // A crash from here until the next commit loses the answer; the call is
                        // sent again under the same id and idempotency key.
                        CrashPoints.shared.reach("orchestrator.answered.\(call.request.kind)")
                        return (call, outcome)
                    }
                }
                return await group.reduce(into: [(ExecutionCall, RecordedOutcome)]()) { $0.append($1) }
            }
            for (call, outcome) in answers { known[call.id] = outcome }
            pending.answers += answers
        }
    }

    /// A step not written yet, or written with another type or content.
    private static func isNew(_ step: ExecutionStep, after earlier: ExecutionStep?) -> Bool {
        guard let earlier else { return true }
        return earlier.type != step.type || earlier.content != step.content
    }

    private func seal(
        _ executionId: String, _ pending: PendingRound, starting: [ExecutionCall]
    ) throws -> OrchestratorDatabase.SealedRound {
        do {
            return try database.seal(
                executionId, answers: pending.answers, starting: starting,
                steps: pending.steps.values.sorted { $0.sequence < $1.sequence }, trigger: pending.trigger,
                at: performer.services.now())
        } catch {
            throw Interruption.storeUnavailable(error)
        }
    }

    /// What is not yet committed.
    private struct PendingRound {
        var answers: [(ExecutionCall, RecordedOutcome)] = []
        var steps: [Int: ExecutionStep] = [:]
        var trigger: String?
        var triggerSeen = false

        mutating func clear() {
            answers = []
            steps = [:]
            trigger = nil
        }
    }
}
