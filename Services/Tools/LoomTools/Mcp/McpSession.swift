import LoomContract
import MCP

/// A live connection to one MCP server, as the supervisor sees it; the real one is
/// ``McpConnection``, tests use scripted ones.
protocol McpSession: Sendable {
    /// The tools the server lists now (again after `notifications/tools/list_changed`).
    func tools() async -> [Tool]
    /// One `tools/call`, ended by the server's timeout at the latest.
    func call(_ tool: String, arguments: [String: Value], sideEffects: Bool) async -> ToolCallResult
    /// Returns when the connection has ended (the server exited or was closed), or the task is cancelled.
    func closed() async
    func close() async
}

/// The supervisor's clock: read and waited on through here, so tests wait on nothing real.
struct McpTiming: Sendable {
    var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
}
