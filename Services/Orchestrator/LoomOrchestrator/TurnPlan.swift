import Foundation
import LoomConfig

/// Which pending messages start now, decided from what is pending and what is busy: one turn at
/// a time per session, each agent's turn coordination for messages that arrive while a session
/// is busy. Pure, so every case is tested without a database or a bus.
struct TurnPlan {
    struct Pending: Sendable {
        var work: ExecutionDriver.Work
        var receivedAt: Date
    }

    var jobs: [TurnScheduler.Job] = []
    /// Running turns to stop for a newer message (`interrupt`): the running execution and the newer one.
    var supersede: [(running: String, newer: String)] = []
    /// When to look again (a coalescing burst settles).
    var wakeAt: Date?

    /// - Parameters:
    ///   - pending: messages that may start, oldest first (not in hand, not waiting for approval).
    ///   - held: sessions busy without a running turn (a turn waits for approval or cools down).
    ///   - running: the running turn's execution id, by session.
    ///   - superseded: running executions already told to stop.
    static func plan(
        pending: [Pending], held: Set<String>, running: [String: String], superseded: Set<String>,
        coordination: (ExecutionDriver.Work) -> TurnCoordination, now: Date
    ) -> TurnPlan {
        var sessions: [String] = []
        var waiting: [String: [Pending]] = [:]
        for item in pending {
            let session = item.work.request.sessionId
            if waiting[session] == nil { sessions.append(session) }
            waiting[session, default: []].append(item)
        }
        var plan = TurnPlan()
        for session in sessions {
            guard let items = waiting[session], let newest = items.last else { continue }
            let rule = coordination(newest.work)
            if running[session] != nil || held.contains(session) {
                switch rule.mode {
                case .enqueue, .coalesce:
                    continue
                case .reject:
                    plan.jobs += items.map { .refuse($0.work) }
                case .interrupt:
                    // A turn waiting for approval is not interrupted; the message waits.
                    if let current = running[session], !superseded.contains(current) {
                        plan.supersede.append((current, newest.work.request.executionId))
                    }
                }
                continue
            }
            switch rule.mode {
            case .enqueue:
                plan.jobs.append(.drive(items[0].work))
            case .reject:
                plan.jobs.append(.drive(items[0].work))
                plan.jobs += items.dropFirst().map { .refuse($0.work) }
            case .interrupt, .coalesce:
                let settles = newest.receivedAt.addingTimeInterval(Double(rule.windowMilliseconds) / 1000)
                if rule.mode == .coalesce, settles > now {
                    plan.wakeAt = min(plan.wakeAt ?? settles, settles)
                    continue
                }
                // The newest message leads; the ones before it are answered with it.
                var lead = newest.work
                lead.absorbing = items.dropLast().map(\.work)
                plan.jobs.append(.drive(lead))
            }
        }
        return plan
    }
}
