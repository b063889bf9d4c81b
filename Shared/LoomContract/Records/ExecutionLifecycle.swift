/// What can happen to an execution. The lifecycle is a pure function of the current status and
/// one of these, so every transition is checked in one place and tested without sockets.
public enum LifecycleEvent: String, Sendable, Codable, CaseIterable {
    /// The orchestrator begins (or, after a pause, continues) driving the execution.
    case start
    /// The runtime asks the user to confirm a tool call in the conversation.
    case awaitConfirmation
    /// A tool call waits for an approver's decision.
    case awaitApproval
    /// The confirmation or approval arrived; driving continues.
    case resume
    case complete
    case fail
    case cancel
}

/// A transition the lifecycle does not allow, e.g. completing a cancelled execution.
public struct IllegalTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public var from: AgentExecution.Status
    public var event: LifecycleEvent

    public init(from: AgentExecution.Status, event: LifecycleEvent) {
        self.from = from
        self.event = event
    }

    public var description: String { "an execution that is \(from.rawValue) cannot \(event.rawValue)" }
}

extension AgentExecution.Status {
    /// `pending → running → (awaitingConfirmation | awaitingApproval) → running →
    /// completed | failed | cancelled`; failing and cancelling are possible from every
    /// unfinished status, and nothing leaves a finished one.
    public func after(_ event: LifecycleEvent) throws(IllegalTransition) -> AgentExecution.Status {
        switch (self, event) {
        case (.pending, .start): return .running
        case (.running, .awaitConfirmation): return .awaitingConfirmation
        case (.running, .awaitApproval): return .awaitingApproval
        case (.awaitingConfirmation, .resume), (.awaitingApproval, .resume): return .running
        case (.running, .complete): return .completed
        case (.pending, .fail), (.running, .fail), (.awaitingConfirmation, .fail), (.awaitingApproval, .fail): return .failed
        case (.pending, .cancel), (.running, .cancel), (.awaitingConfirmation, .cancel), (.awaitingApproval, .cancel): return .cancelled
        default: throw IllegalTransition(from: self, event: event)
        }
    }

    /// The statuses `event` may be applied to, for guarding a SQL update with the same rules.
    public static func accepting(_ event: LifecycleEvent) -> [AgentExecution.Status] {
        allCases.filter { (try? $0.after(event)) != nil }
    }
}
