import LoomContract

/// Status updates in SQL guarded by the lifecycle's own rules, so a late writer (an old turn,
/// a re-driven execution) can never move an execution along a transition the state machine
/// forbids.
enum LifecycleGuard {
    /// `('running', 'pending')`: the statuses `event` may be applied to, as a SQL list.
    static func sqlList(accepting event: LifecycleEvent) -> String {
        "(" + AgentExecution.Status.accepting(event).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}
