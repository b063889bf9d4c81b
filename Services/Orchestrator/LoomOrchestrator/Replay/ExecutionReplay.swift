import Foundation
import LoomContract

/// Feeds a recorded history into a decision core and finds the first point where the core's
/// decisions differ from the recorded ones: a call the recording did not make, a call asked
/// differently (another prompt, other offered tools, another policy outcome), a different trace
/// step, or a different ending. Pure: it calls no provider and no tool.
struct ExecutionReplay {
    let calls: [OrchestratorDatabase.RecordedCall]
    /// The recorded trace.
    let steps: [ExecutionStep]
    /// Whether the recorded execution had ended (a missing step is then a divergence too).
    let finished: Bool

    struct Divergence: Equatable, Sendable {
        /// Where: a call id or a step number.
        var at: String
        var summary: String
        var recorded: String?
        var replayed: String?
    }

    struct Report: Equatable, Sendable {
        /// Calls whose recorded answers were fed to the core.
        var replayedCalls: Int
        var divergence: Divergence?
        /// The ending the core reached, when it reached one.
        var ending: CoreEnding?
        /// Calls the core needs that the recording holds no answer for (it stopped there).
        var unanswered: [String]
    }

    func run(_ decide: ([String: RecordedOutcome]) -> CoreDecision) -> Report {
        let recordedCalls = Dictionary(calls.map { ($0.call.id, $0) }, uniquingKeysWith: { first, _ in first })
        let recordedSteps = Dictionary(steps.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        var known: [String: RecordedOutcome] = [:]
        for resumption in calls where resumption.call.id.contains(":resume:") {
            if let outcome = resumption.outcome { known[resumption.call.id] = outcome }
        }
        var replayed = 0
        for _ in 0...(calls.count + 1) {
            let decision = decide(known)
            var unanswered: [String] = []
            for call in decision.calls {
                guard let recorded = recordedCalls[call.id] else {
                    return Report(
                        replayedCalls: replayed,
                        divergence: Divergence(
                            at: call.id, summary: "the replayed run makes a \(call.request.kind) call the recorded run did not make",
                            recorded: nil, replayed: ReplayText.describe(call.request)),
                        ending: nil, unanswered: [])
                }
                if let difference = ReplayText.difference(recorded: recorded.call.request, replayed: call.request) {
                    return Report(
                        replayedCalls: replayed,
                        divergence: Divergence(
                            at: call.id, summary: "the \(call.request.kind) call is asked differently: \(difference.summary)",
                            recorded: difference.recorded, replayed: difference.replayed),
                        ending: nil, unanswered: [])
                }
                guard let outcome = recorded.outcome else {
                    unanswered.append(call.id)
                    continue
                }
                known[call.id] = outcome
                replayed += 1
            }
            if let divergence = compare(decision.steps, with: recordedSteps) {
                return Report(replayedCalls: replayed, divergence: divergence, ending: decision.ending, unanswered: [])
            }
            if let ending = decision.ending {
                return Report(replayedCalls: replayed, divergence: nil, ending: ending, unanswered: [])
            }
            if !unanswered.isEmpty || decision.calls.isEmpty {
                return Report(replayedCalls: replayed, divergence: nil, ending: nil, unanswered: unanswered)
            }
        }
        return Report(replayedCalls: replayed, divergence: nil, ending: nil, unanswered: [])
    }

    private func compare(_ decided: [ExecutionStep], with recorded: [Int: ExecutionStep]) -> Divergence? {
        for step in decided {
            guard let earlier = recorded[step.sequence] else {
                guard finished else { continue }
                return Divergence(
                    at: "step \(step.sequence)", summary: "the replayed run adds a \(step.type.rawValue) step",
                    recorded: nil, replayed: ReplayText.clip(step.content))
            }
            if earlier.type != step.type || earlier.content != step.content {
                return Divergence(
                    at: "step \(step.sequence)",
                    summary: "the \(step.type.rawValue) step differs" + (earlier.type != step.type ? " (was \(earlier.type.rawValue))" : ""),
                    recorded: ReplayText.clip(earlier.content), replayed: ReplayText.clip(step.content))
            }
        }
        return nil
    }
}
