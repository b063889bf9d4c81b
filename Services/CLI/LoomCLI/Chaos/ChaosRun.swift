import Foundation
import Synchronization

/// Runs the turns, `inFlight` at a time, while the schedule's disruptions happen one after the
/// other; returns what was observed.
struct ChaosRun: Sendable {
    let client: ChaosTurnClient
    let killer: ChaosKiller
    let schedule: ChaosSchedule
    let fullDisk: FullDiskVolume?
    let turns: Int
    let inFlight: Int
    /// A line for the person watching the run.
    let note: @Sendable (String) -> Void

    struct Outcome: Sendable {
        var turns: [ChaosFacts.Turn]
        var kills: [ChaosFacts.Kill]
        var fullDisk: [ChaosFacts.FullDisk]
        /// Disruptions not made because every turn had ended first.
        var skipped: [ChaosSchedule.Event]
        var seconds: Double
    }

    func run() async -> Outcome {
        let progress = ChaosProgress(total: turns)
        async let disruptions = disrupt(progress)
        let facts = await withTaskGroup(of: [ChaosFacts.Turn].self) { group in
            for _ in 0..<max(inFlight, 1) {
                group.addTask {
                    var ended: [ChaosFacts.Turn] = []
                    while let index = progress.take() {
                        ended.append(await client.turn(index))
                        if let line = progress.end() { note(line) }
                    }
                    return ended
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let seconds = client.elapsed
        progress.finish()
        var outcome = await disruptions
        outcome.turns = facts.sorted { $0.index < $1.index }
        outcome.seconds = seconds
        return outcome
    }

    private func disrupt(_ progress: ChaosProgress) async -> Outcome {
        var outcome = Outcome(turns: [], kills: [], fullDisk: [], skipped: [], seconds: 0)
        for (position, event) in schedule.events.enumerated() {
            while progress.ended < event.after, !progress.finished {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if progress.finished || Task.isCancelled {
                outcome.skipped = Array(schedule.events[position...])
                break
            }
            switch event.action {
            case .kill(let service):
                guard let kill = await killer.kill(service) else {
                    note("could not kill \(service): it has no process")
                    continue
                }
                outcome.kills.append(kill)
                let (at, back) = (ChaosReport.format(kill.at), ChaosReport.format(kill.healthyAt.map { $0 - kill.at }))
                note("\(at) s: SIGKILL \(service) (pid \(kill.killedPid)), healthy again after \(back) s")
            case .fillDisk(let service, let seconds):
                guard let fullDisk else {
                    note("full disk of \(service) skipped: its volume is not mounted")
                    continue
                }
                let from = client.elapsed
                note("\(ChaosReport.format(from)) s: \(service)'s disk is full for \(ChaosReport.format(seconds)) s")
                do {
                    let filled = try await fullDisk.fill(for: seconds)
                    outcome.fullDisk.append(
                        ChaosFacts.FullDisk(service: service, from: from, until: client.elapsed, filledBytes: filled))
                    note("\(ChaosReport.format(client.elapsed)) s: \(service)'s disk has space again")
                } catch {
                    note("full disk of \(service) failed: \(error)")
                }
            }
        }
        return outcome
    }
}

/// Hands out turn indexes to the workers and counts ended turns.
final class ChaosProgress: Sendable {
    private struct State {
        var next = 0
        var ended = 0
        var finished = false
    }

    private let total: Int
    private let state = Mutex(State())

    init(total: Int) { self.total = total }

    func take() -> Int? {
        state.withLock { state in
            guard state.next < total else { return nil }
            state.next += 1
            return state.next - 1
        }
    }

    /// Counts one ended turn; returns a progress line every tenth of the run.
    func end() -> String? {
        let ended = state.withLock { state in
            state.ended += 1
            return state.ended
        }
        let step = max(total / 10, 1)
        return ended % step == 0 || ended == total ? "\(ended)/\(total) turns ended" : nil
    }

    var ended: Int { state.withLock { $0.ended } }
    var finished: Bool { state.withLock { $0.finished } }
    func finish() { state.withLock { $0.finished = true } }
}
