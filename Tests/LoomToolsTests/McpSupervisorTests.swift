import Foundation
import LoomConfig
import LoomContract
import LoomStore
import MCP
import Synchronization
import Testing

@testable import LoomTools

/// A scripted MCP connection: lists fixed tools, counts calls, and ends when the test says.
final class ScriptedSession: McpSession {
    let listed: [Tool]
    let calls = Atomic<Int>(0)
    private let dead = Atomic<Bool>(false)
    private let ended = AsyncStream<Void>.makeStream()

    init(_ listed: [Tool]) { self.listed = listed }

    func tools() async -> [Tool] { listed }

    func call(_ tool: String, arguments: [String: Value], sideEffects: Bool) async -> ToolCallResult {
        guard !dead.load(ordering: .relaxed) else { return McpResultMapping.unavailable("parts", "it died") }
        let count = calls.add(1, ordering: .relaxed).newValue
        return ToolCallResult(success: true, result: .string("\(tool) #\(count)"))
    }

    func closed() async {
        for await _ in ended.stream {}
    }

    func close() async { ended.continuation.finish() }

    /// The server "dies".
    func die() {
        dead.store(true, ordering: .relaxed)
        ended.continuation.finish()
    }
}

/// Restarts with backoff and calls while a server is down, on a clock that waits for nothing.
@Suite struct McpSupervisorTests {
    final class Script: Sendable {
        let failuresFirst: Int
        let attempts = Atomic<Int>(0)
        let sessions = Mutex<[ScriptedSession]>([])
        let waits = Mutex<[Duration]>([])

        init(failuresFirst: Int) { self.failuresFirst = failuresFirst }

        func connect() throws -> any McpSession {
            let attempt = attempts.add(1, ordering: .relaxed).newValue
            guard attempt > failuresFirst else { throw McpStartError("refused (attempt \(attempt))") }
            let session = ScriptedSession([McpPartsTests.tool("lookup_part"), McpPartsTests.tool("hidden_tool")])
            sessions.withLock { $0.append(session) }
            return session
        }

        var timing: McpTiming {
            // Waits for nothing, but lets the supervisor's callers in between.
            McpTiming(
                now: { ContinuousClock.now },
                sleep: { [self] delay in
                    waits.withLock { $0.append(delay) }
                    await Task.yield()
                })
        }
    }

    static func backend(_ tool: String = "lookup_part") -> McpBackend { McpBackend(server: "parts", tool: tool) }

    /// Calls until the server is up; every failure before must be the retryable "unavailable".
    static func callUntilUp(_ tools: McpTools, sourceLocation: SourceLocation = #_sourceLocation) async
        -> ToolCallResult
    {
        var result = await tools.call(backend(), arguments: [:], sideEffects: false)
        for _ in 0..<1000 where !result.success {
            #expect(
                result.retryable && result.code == "server_unavailable", "\(result)", sourceLocation: sourceLocation)
            await Task.yield()
            result = await tools.call(backend(), arguments: [:], sideEffects: false)
        }
        return result
    }

    @Test func aServerThatDiesIsRestartedWithBackoffAndCallsWorkAgain() async throws {
        let script = Script(failuresFirst: 2)
        let supervisor = McpServerSupervisor(
            name: "parts", backoff: McpBackoff(initial: .milliseconds(100)), timing: script.timing
        ) { try script.connect() }
        let tools = McpTools(supervisors: ["parts": supervisor])
        let running = Task { await supervisor.run() }
        defer { running.cancel() }

        let first = await Self.callUntilUp(tools)
        #expect(first == ToolCallResult(success: true, result: .string("lookup_part #1")), "\(first)")
        #expect(script.waits.withLock { $0 } == [.milliseconds(100), .milliseconds(200)])

        script.sessions.withLock { $0.first }?.die()
        // The scripted clock waits for nothing: the restart comes after a few yields.
        let again = await Self.callUntilUp(tools)
        #expect(again == ToolCallResult(success: true, result: .string("lookup_part #1")), "the new server: \(again)")
        #expect(script.waits.withLock { $0 } == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
        #expect(script.sessions.withLock { $0.count } == 2)
        #expect(await supervisor.restarts == 3)
    }

    @Test func aServerThatNeverStartsGivesRetryableFailures() async {
        let script = Script(failuresFirst: .max)
        let supervisor = McpServerSupervisor(name: "parts", timing: script.timing) { try script.connect() }
        let tools = McpTools(supervisors: ["parts": supervisor])
        let running = Task { await supervisor.run() }
        defer { running.cancel() }
        let result = await tools.call(Self.backend(), arguments: [:], sideEffects: false)
        #expect(!result.success && result.retryable && result.code == "server_unavailable", "\(result)")
        let unknown = await tools.call(McpBackend(server: "nowhere", tool: "x"), arguments: [:], sideEffects: false)
        #expect(unknown.code == "not_executable")
    }

    @Test func aNamedToolTheServerDoesNotListIsRefused() async {
        let script = Script(failuresFirst: 0)
        let supervisor = McpServerSupervisor(name: "parts", timing: script.timing) { try script.connect() }
        let running = Task { await supervisor.run() }
        defer { running.cancel() }
        let result = await McpTools(supervisors: ["parts": supervisor]).call(
            Self.backend("removed_tool"), arguments: [:], sideEffects: false)
        #expect(!result.success && result.code == "tool_unavailable", "\(result)")
        #expect(script.sessions.withLock { $0.first }?.calls.load(ordering: .relaxed) == 0)
    }

    @Test func aSideEffectingCallActsOncePerKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-mcp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = Script(failuresFirst: 0)
        let supervisor = McpServerSupervisor(name: "parts", timing: script.timing) { try script.connect() }
        let running = Task { await supervisor.run() }
        defer { running.cancel() }
        var capability = try McpPartsTests.capability("parts", "lookup_part")
        capability.effect = .irreversible
        let metadata = LoomMetadata(
            agents: [:], providers: [:], endpoints: [:], routes: [], records: RecordStoreSeed(),
            capabilities: ["reserve": capability])
        let records = try RecordStore.open(
            directory: directory, seed: metadata.records, outcomes: try SealedColumn(key: Data(repeating: 7, count: 32))
        )
        let runner = ToolRunner(records: records, metadata: metadata, mcp: McpTools(supervisors: ["parts": supervisor]))
        let request = ToolCallRequest(
            capability: "reserve", arguments: .object([:]), idempotencyKey: "k1", executionId: "e")
        let first = await runner.run(request)
        let second = await runner.run(request)
        #expect(first.success && first.result == .string("lookup_part #1"), "\(first)")
        #expect(second.replayed == true && second.result == first.result, "\(second)")
        #expect(script.sessions.withLock { $0.first }?.calls.load(ordering: .relaxed) == 1)
        #expect(runner.sideEffectsPerformed == 1)
    }
}
