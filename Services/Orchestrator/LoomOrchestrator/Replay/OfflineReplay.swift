import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomServiceRuntime
import LoomStore

/// `loom replay`: reads an execution's recorded history from the orchestrator's database and
/// replays it through the decision core under the given metadata, offline.
public enum OfflineReplay {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The report, and whether the decisions diverged.
    /// - Parameters:
    ///   - orchestrator: the orchestrator's environment (its data folder and data key).
    ///   - metadata: the metadata to replay under: the running suite's, or a changed copy.
    public static func report(
        executionId: String, orchestrator: ServiceEnvironment, metadata: LoomMetadata
    ) async throws -> (text: String, diverged: Bool) {
        let file = orchestrator.dataDirectory.appendingPathComponent("orchestrator.sqlite")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw Failure(description: "no orchestrator database at \(file.path) (is --data-dir right?)")
        }
        let database = try OrchestratorDatabase.open(
            directory: orchestrator.dataDirectory, sealing: try DataKey.load(for: orchestrator))
        guard let input = try await database.input(of: executionId) else {
            throw Failure(description: "execution \(executionId) has no recorded history (unknown, or older than history recording)")
        }
        let (execution, steps) = try await database.store.read { db in
            (try AgentExecution.fetchOne(db, key: executionId),
             try ExecutionStep.fetchAll(db, sql: "SELECT * FROM step WHERE executionId = ? ORDER BY sequence", arguments: [executionId]))
        }
        let calls = try await database.calls(of: executionId)
        let replay = ExecutionReplay(calls: calls, steps: steps, finished: execution?.status.isTerminal == true)
        let report: ExecutionReplay.Report
        switch input {
        case .conversational(let request):
            guard let agent = metadata.agents[request.agent] else {
                throw Failure(description: "the metadata has no agent '\(request.agent)'")
            }
            report = replay.run(ConversationCore(request: request, agent: agent, capabilities: metadata.capabilities).decide)
        case .direct(let agentName, let value, let masking):
            guard var agent = metadata.agents[agentName], let schema = agent.outputSchema else {
                throw Failure(description: "the metadata has no direct agent '\(agentName)'")
            }
            if let masking { agent.trust.masking = masking }
            report = replay.run(DirectCore(
                executionId: executionId, agentName: agentName, agent: agent, schema: JSONSchema(schema), input: value).decide)
        }
        return describe(report, executionId: executionId, execution: execution)
    }

    static func describe(
        _ report: ExecutionReplay.Report, executionId: String, execution: AgentExecution?
    ) -> (text: String, diverged: Bool) {
        var lines = ["execution \(executionId): \(report.replayedCalls) recorded answers replayed"]
        if let divergence = report.divergence {
            lines.append("DIVERGES at \(divergence.at): \(divergence.summary)")
            lines.append("  recorded: \(divergence.recorded ?? "(nothing)")")
            lines.append("  replayed: \(divergence.replayed ?? "(nothing)")")
            return (lines.joined(separator: "\n"), true)
        }
        if let ending = report.ending, let execution, let difference = endingDifference(ending, execution) {
            lines.append("DIVERGES at the ending: \(difference)")
            return (lines.joined(separator: "\n"), true)
        }
        if !report.unanswered.isEmpty {
            lines.append("the recording stops before the answers to: \(report.unanswered.joined(separator: ", "))")
        }
        lines.append("no divergence: the same calls, trace and ending" + (report.ending == nil ? " as far as recorded" : ""))
        return (lines.joined(separator: "\n"), false)
    }

    private static func endingDifference(_ ending: CoreEnding, _ execution: AgentExecution) -> String? {
        switch ending {
        case .completed(let maskedAnswer, _, _):
            if execution.status != .completed { return "the replay completes; the recorded run ended \(execution.status.rawValue)" }
            return execution.result == maskedAnswer ? nil : "a different answer"
        case .failed(let error, _, _):
            if execution.status != .failed { return "the replay fails (\(error.code)); the recorded run ended \(execution.status.rawValue)" }
            return execution.error?.code == error.code ? nil : "fails with \(error.code), recorded \(execution.error?.code ?? "-")"
        case .paused:
            return [.awaitingApproval, .running, .pending].contains(execution.status)
                ? nil : "the replay waits for approval; the recorded run ended \(execution.status.rawValue)"
        }
    }
}
