import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// What driving executions needs from the process: the bus, the database, the metadata, and
/// time, which tests may replace.
struct ExecutionServices: Sendable {
    let database: OrchestratorDatabase
    let metadata: LoomMetadata
    let node: BusNode
    let logger: Logger
    let callTimeout: Duration
    let answerStreams: AnswerStreams
    let summarizer: SessionSummarizer
    let toolInvoker: ToolInvoker
    /// Reads the clock; what it returns is recorded with each answer.
    let now: @Sendable () -> Date
    /// Waits between attempts of a retried call.
    let sleep: @Sendable (Duration) async throws -> Void
}
