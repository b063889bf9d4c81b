import Foundation

/// What a chaos run observed, as plain values: the input of ``ChaosReport``. Times are seconds
/// since the run started.
enum ChaosFacts {
    /// How a turn ended, as its client saw it.
    enum TurnEnd: Equatable, Sendable {
        /// The suite replied that the turn completed, with a reply that says the action was done.
        case completed
        /// The turn completed, but its reply says the action did not happen (a final tool
        /// failure reported to the user), quoting the start of the reply.
        case reportedFailure(String)
        /// The suite replied that the turn failed (or was cancelled), naming why.
        case failed(String)
        /// The suite refused the message before accepting it (a 4xx), naming why.
        case refused(String)
        /// No final answer before the turn's deadline.
        case unanswered
    }

    /// One turn from its client's side.
    struct Turn: Equatable, Sendable {
        var index: Int
        /// The suite answered 2xx at least once: it holds the turn.
        var accepted: Bool
        var end: TurnEnd
        /// Every execution id the suite named for this turn (one, unless a retry made another).
        var executionIds: Set<String>
        /// HTTP requests sent for the turn (the first and every retry).
        var requests: Int
        /// When the final answer arrived.
        var endedAt: Double?
    }

    /// One SIGKILL of a service and what followed.
    struct Kill: Equatable, Sendable {
        var service: String
        var killedPid: Int32
        var at: Double
        /// When a new process of the service first answered its health check.
        var healthyAt: Double?
    }

    /// A window in which one service's data directory had no free space.
    struct FullDisk: Equatable, Sendable, Codable {
        var service: String
        var from: Double
        var until: Double
        /// Bytes the filler file took, i.e. the space that was left.
        var filledBytes: Int
    }

    /// One side effect in the tools service's ledger, by the execution that caused it.
    struct Effect: Equatable, Sendable {
        var executionId: String
        var capability: String
    }
}
