import Synchronization

/// The deadlines of the calls a node is waiting on, served by one sleeping task.
///
/// A timer task per call cost a task, and its cancellation when the answer came woke a thread
/// only to end it: on every call. Here an answered call just leaves the table, and the one
/// task sleeps until the earliest deadline; it runs only while some call is waiting, and is
/// woken early only by a deadline earlier than the one it sleeps towards.
final class CallDeadlines: Sendable {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var expire: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var running = false
        /// What the task sleeps towards; nil while it is not sleeping.
        var sleepsUntil: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let signal = WakeSignal()

    var count: Int { state.withLock { $0.entries.count } }

    /// Calls `expire` at `deadline` unless `remove(ticket)` comes first.
    func add(_ ticket: UInt64, at deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) {
        enum Action { case start, wake, none }
        let action = state.withLock { state -> Action in
            state.entries[ticket] = Entry(deadline: deadline, expire: expire)
            if !state.running {
                state.running = true
                return .start
            }
            guard let sleepsUntil = state.sleepsUntil, deadline < sleepsUntil else { return .none }
            state.sleepsUntil = deadline
            return .wake
        }
        switch action {
        case .start: Task { await self.run() }
        case .wake: signal.fire()
        case .none: break
        }
    }

    func remove(_ ticket: UInt64) {
        state.withLock { _ = $0.entries.removeValue(forKey: ticket) }
    }

    private func run() async {
        while true {
            let now = ContinuousClock.now
            let (expired, next) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
                let due = state.entries.filter { $0.value.deadline <= now }
                for ticket in due.keys { state.entries.removeValue(forKey: ticket) }
                let next = state.entries.values.map(\.deadline).min()
                state.sleepsUntil = next
                if next == nil { state.running = false }
                return (due.values.map(\.expire), next)
            }
            for expire in expired { expire() }
            guard let next else { return }
            await signal.wait(upTo: max(next - ContinuousClock.now, .zero))
        }
    }
}
