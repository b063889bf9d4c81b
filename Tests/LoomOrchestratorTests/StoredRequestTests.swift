import Foundation
import GRDB
import LoomContract
import LoomStore
import Testing

@testable import LoomOrchestrator

/// Model calls are stored by reference: a message or a tool schema repeated from call to call
/// is stored once, the call reads back exactly as it was sent, and a reference moved to another
/// call does not open.
struct StoredRequestTests {
    private func database() throws -> (OrchestratorDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-stored-\(UUID().uuidString)")
        return (try OrchestratorDatabase.open(directory: directory, sealing: try SealedColumn(key: SealedColumn.generateKey())), directory)
    }

    private func execution(_ id: String, in database: OrchestratorDatabase) async throws {
        try await database.store.write { db in
            try AgentExecution(
                id: id, agent: "support", sessionId: "s1", channel: .api, strategy: .conversational, turnId: id, trigger: ""
            ).insert(db)
        }
    }

    private func call(_ id: String, _ messages: [ChatMessage]) -> ExecutionCall {
        let tools = [ToolSpec(name: "get_record", description: "Looks up a record.", parameters: .object(["type": .string("object")]))]
        return ExecutionCall(id: id, request: .complete(CompletionRequest(
            agent: "support", provider: "scripted", model: nil, temperature: 0, maxTokens: 100, messages: messages,
            tools: tools)))
    }

    private func answer(_ text: String) -> RecordedOutcome {
        let result = CompletionResult(text: text, provider: "scripted", model: "m", usage: TokenUsage(), finishReason: "stop")
        return RecordedOutcome(outcome: .completion(result), startedAt: Date(timeIntervalSince1970: 1), finishedAt: Date(timeIntervalSince1970: 2))
    }

    @Test func repeatedMessagesAndSchemasAreStoredOnceAndReadBackWhole() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await execution("e1", in: database)
        let system = ChatMessage(role: .system, content: String(repeating: "You are the support assistant. ", count: 40))
        let first = call("e1:llm:10", [system, ChatMessage(role: .user, content: "status of C-1001?")])
        let second = call("e1:llm:12", [system, ChatMessage(role: .user, content: "status of C-1001?"),
                                        ChatMessage(role: .assistant, content: "checking")])
        let round = try database.seal(
            "e1", answers: [(first, answer("a")), (second, answer("b"))], starting: [], steps: [], trigger: nil, at: Date())
        try await database.record(round)

        let calls = try await database.calls(of: "e1")
        #expect(calls.map(\.call) == [first, second])
        let (contents, longest) = try await database.store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM storedContent") ?? 0,
             try Int.fetchOne(db, sql: "SELECT MAX(LENGTH(request)) FROM callRecord") ?? 0)
        }
        // Three distinct messages and one shared remainder (model, tools, limits).
        #expect(contents == 4)
        #expect(longest < system.content.count / 2)
    }

    @Test func aReferenceMovedToAnotherCallDoesNotOpen() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await execution("e2", in: database)
        let one = call("e2:llm:10", [ChatMessage(role: .user, content: "one")])
        let two = call("e2:llm:12", [ChatMessage(role: .user, content: "two")])
        try await database.record(try database.seal(
            "e2", answers: [(one, answer("a")), (two, answer("b"))], starting: [], steps: [], trigger: nil, at: Date()))
        try await database.store.write { db in
            let moved = try String.fetchOne(db, sql: "SELECT request FROM callRecord WHERE callId = 'e2:llm:10'")
            try db.execute(sql: "UPDATE callRecord SET request = ? WHERE callId = 'e2:llm:12'", arguments: [moved])
        }
        await #expect(throws: (any Error).self) { try await database.calls(of: "e2") }
    }
}
