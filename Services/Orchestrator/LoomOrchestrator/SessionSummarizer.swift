import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// `summaryBuffer` memory: turns older than the agent's verbatim window are condensed by a
/// model call into a summary kept per session, which the next prompts carry instead of those
/// turns. The summary is refreshed after a turn completes, off the hot path: the answer has
/// already gone out, and one refresh runs per session at a time.
actor SessionSummarizer {
    private let database: OrchestratorDatabase
    private let node: BusNode
    private let logger: Logger
    private let metadata: LoomMetadata
    private var refreshing: Set<String> = []

    init(database: OrchestratorDatabase, node: BusNode, logger: Logger, metadata: LoomMetadata) {
        self.database = database
        self.node = node
        self.logger = logger
        self.metadata = metadata
    }

    static let instructions = """
        You condense conversations. Write a short summary of the conversation so far that keeps names, \
        numbers, decisions and open questions. Keep tokens such as [EMAIL_1] exactly as they are.
        """

    /// The session's current summary (masked), if one was made.
    nonisolated func summary(of sessionId: String) async throws -> String? {
        try await database.store.read { db in
            try String.fetchOne(db, sql: "SELECT summary FROM sessionSummary WHERE sessionId = ?", arguments: [sessionId])
        }
    }

    /// Starts a refresh in the background when the session has turns outside the window that
    /// the summary does not cover yet.
    nonisolated func refreshSoon(sessionId: String, agentName: String, agent: AgentDefinition) {
        guard agent.memory.strategy == .summaryBuffer else { return }
        Task { await self.refresh(sessionId: sessionId, agentName: agentName, agent: agent) }
    }

    private func refresh(sessionId: String, agentName: String, agent: AgentDefinition) async {
        guard refreshing.insert(sessionId).inserted else { return }
        defer { refreshing.remove(sessionId) }
        do {
            let (turns, covered, previous) = try await database.store.read { db -> ([(String, String)], Int, String) in
                let turns = try Row.fetchAll(
                    db,
                    sql: "SELECT trigger, result FROM execution WHERE sessionId = ? AND status = 'completed' ORDER BY createdAt, rowid",
                    arguments: [sessionId]
                ).map { (($0["trigger"] as String?) ?? "", ($0["result"] as String?) ?? "") }
                let row = try Row.fetchOne(db, sql: "SELECT summary, coveredCount FROM sessionSummary WHERE sessionId = ?", arguments: [sessionId])
                return (turns, (row?["coveredCount"] as Int?) ?? 0, (row?["summary"] as String?) ?? "")
            }
            let older = turns.count - agent.memory.turns
            guard older > covered else { return }
            let transcript = turns[covered..<older].map { "User: \($0.0)\nAssistant: \($0.1)" }.joined(separator: "\n\n")
            // The turns were masked when they were recorded; through trust once more, any value the
            // session's vault holds is a token here too, wherever it slipped in.
            let told = try await masked(
                "Summary so far:\n\(previous.isEmpty ? "(none)" : previous)\n\nNew turns:\n\(transcript)",
                sessionId: sessionId, agent: agent, requestId: "\(sessionId):summary-mask:\(older)")
            let request = CompletionRequest(
                agent: agentName, provider: agent.provider, model: agent.model, temperature: 0, maxTokens: agent.maxTokens,
                messages: [
                    ChatMessage(role: .system, content: Self.instructions),
                    ChatMessage(role: .user, content: told),
                ])
            let result = try await node.call(
                request, to: .peer("gateway"), expecting: CompletionResult.self, requestId: "\(sessionId):summary:\(older)",
                timeout: metadata.completionBudget(provider: agent.provider), attempts: 2)
            try await database.store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessionSummary (sessionId, summary, coveredCount, updatedAt) VALUES (?, ?, ?, ?)
                        ON CONFLICT(sessionId) DO UPDATE SET summary = excluded.summary, coveredCount = excluded.coveredCount,
                            updatedAt = excluded.updatedAt
                        WHERE excluded.coveredCount > sessionSummary.coveredCount
                        """,
                    arguments: [sessionId, result.text, older, Date().timeIntervalSince1970])
            }
        } catch {
            // The next completed turn tries again; the prompt keeps using the older summary.
            logger.warning("could not refresh a session summary", metadata: ["session": "\(sessionId)", "error": "\(error)"])
        }
    }

    private func masked(
        _ text: String, sessionId: String, agent: AgentDefinition, requestId: String
    ) async throws -> String {
        guard agent.trust.masking != .off else { return text }
        let result = try await node.call(
            MaskRequest(scope: sessionId, preset: agent.trust.masking.rawValue, texts: [text], region: agent.trust.region), to: .peer("trust"),
            expecting: MaskResult.self, requestId: requestId, correlation: Correlation(sessionId: sessionId),
            timeout: .seconds(5), attempts: 3)
        guard let masked = result.texts.first else {
            throw Failure(code: "trust_protocol", message: "mask result had no text")
        }
        return masked
    }
}
