import Foundation

/// The verdict of a chaos run, computed from what was observed and nothing else: no I/O here.
struct ChaosReport: Equatable, Sendable, Codable {
    struct Recovery: Equatable, Sendable, Codable {
        var service: String
        var killedAt: Double
        /// Kill → a new process answered its health check.
        var healthyAfter: Double?
        /// Kill → the first turn that completed after the kill.
        var firstCompletionAfter: Double?
        /// Kill → the first turn that completed once the service was healthy again: recovered.
        var recoveredAfter: Double?
    }

    var turns = 0
    var accepted = 0
    var completed = 0
    var failed = 0
    /// Completed with a reply saying the action did not happen: honest, not a success.
    var reportedFailures = 0
    /// Refused before acceptance (4xx), or never accepted before the deadline.
    var notAccepted = 0
    /// Accepted, but neither completed nor failed before the deadline.
    var lost = 0
    var sideEffects = 0
    /// Turns with more than one side effect.
    var duplicates = 0
    /// Turns that replied success with no side effect recorded.
    var doneWithoutEffect = 0
    /// Turns that replied failure (or reported one) although their side effect was recorded.
    var failedWithEffect = 0
    /// Side effects of executions no turn was told about.
    var unattributedEffects = 0
    var requests = 0
    var failureReasons: [String: Int] = [:]
    var recoveries: [Recovery] = []
    var fullDisk: [ChaosFacts.FullDisk] = []

    /// A run passes when nothing accepted was lost, and every turn did its effect at most once
    /// and never claimed success without it.
    var passed: Bool { lost == 0 && duplicates == 0 && doneWithoutEffect == 0 }

    init(
        turns: [ChaosFacts.Turn], effects: [ChaosFacts.Effect], kills: [ChaosFacts.Kill],
        fullDisk: [ChaosFacts.FullDisk] = []
    ) {
        var effectsByExecution: [String: Int] = [:]
        for effect in effects { effectsByExecution[effect.executionId, default: 0] += 1 }
        var attributed = Set<String>()
        self.turns = turns.count
        for turn in turns {
            requests += turn.requests
            attributed.formUnion(turn.executionIds)
            let effectCount = turn.executionIds.reduce(0) { $0 + effectsByExecution[$1, default: 0] }
            if effectCount > 1 { duplicates += 1 }
            if turn.accepted { accepted += 1 }
            switch turn.end {
            case .completed:
                completed += 1
                if effectCount == 0 { doneWithoutEffect += 1 }
            case .reportedFailure(let reply):
                reportedFailures += 1
                failureReasons["reply: " + reply, default: 0] += 1
                if effectCount > 0 { failedWithEffect += 1 }
            case .failed(let reason):
                failed += 1
                failureReasons[reason, default: 0] += 1
                if effectCount > 0 { failedWithEffect += 1 }
            case .refused(let reason):
                notAccepted += 1
                failureReasons["refused: " + reason, default: 0] += 1
            case .unanswered:
                if turn.accepted { lost += 1 } else { notAccepted += 1 }
            }
        }
        sideEffects = effects.count
        unattributedEffects = effects.filter { !attributed.contains($0.executionId) }.count
        let completions = turns.compactMap { $0.end == .completed ? $0.endedAt : nil }.sorted()
        recoveries = kills.map { Self.recovery(after: $0, completions: completions) }
        self.fullDisk = fullDisk
    }

    static func recovery(after kill: ChaosFacts.Kill, completions: [Double]) -> Recovery {
        let first = completions.first { $0 >= kill.at }
        let recovered = kill.healthyAt.flatMap { healthy in completions.first { $0 >= max(healthy, kill.at) } }
        return Recovery(
            service: kill.service, killedAt: kill.at, healthyAfter: kill.healthyAt.map { $0 - kill.at },
            firstCompletionAfter: first.map { $0 - kill.at }, recoveredAfter: recovered.map { $0 - kill.at })
    }
}
