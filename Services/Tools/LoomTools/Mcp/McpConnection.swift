import Foundation
import Logging
import LoomConfig
import LoomContract
import MCP
import Synchronization

/// A live connection to one MCP server over the SDK's client: a sandboxed child's pipes for
/// `stdio`, the SDK's HTTP transport (plain JSON answers, no SSE) for `url`. Every message in
/// passes ``McpGuardedTransport``; start-up and each call are bounded by the server's timeout.
final class McpConnection: McpSession {
    let name: String
    private let client: Client
    private let process: McpServerProcess?
    private let timeout: Duration
    private let logger: Logger
    private let listed = Mutex<[Tool]>([])
    private let ended = AsyncStream<Void>.makeStream()

    private init(name: String, client: Client, process: McpServerProcess?, timeout: Duration, logger: Logger) {
        self.name = name
        self.logger = logger
        self.client = client
        self.process = process
        self.timeout = timeout
    }

    /// Starts (or reaches) the server, initializes, and lists its tools.
    static func open(
        _ name: String, _ server: McpServerDefinition, host: SandboxPlan.Host, environment: [String: String],
        logger: Logger
    ) async throws -> McpConnection {
        let timeout = Duration.milliseconds(Int(server.timeoutSeconds * 1000))
        let transport: any Transport
        var process: McpServerProcess?
        if let command = server.stdio {
            let plan = SandboxPlan(command, host: host.resolvingHidden(), environment: environment, path: CommandTool.kind)
            if let refusal = plan.refusal { throw McpStartError(refusal) }
            let child = try await McpServerProcess.start(plan)
            process = child
            let lineLimit = min(command.limits.outputBytes, JSONLimits.standard.maxDocumentBytes)
            transport = McpPipeTransport(input: child.stdout, output: child.stdin, lineLimit: lineLimit, logger: logger)
        } else if let url = server.endpoint {
            transport = HTTPClientTransport(endpoint: url, streaming: false, logger: logger)
        } else {
            throw McpStartError("the server has neither 'stdio' nor a valid 'url'")
        }
        let connection = McpConnection(
            name: name, client: Client(name: "loom-tools", version: "1"), process: process, timeout: timeout,
            logger: logger)
        do {
            try await connection.start(McpGuardedTransport(transport, limits: .standard, logger: logger))
        } catch {
            await connection.close()
            let tail = process?.errorTail ?? ""
            throw McpStartError("\(error)" + (tail.isEmpty ? "" : ": " + String(tail.suffix(300))))
        }
        return connection
    }

    private func start(_ transport: any Transport) async throws {
        if let process {
            Task { [ended, client] in
                await process.wait()
                // Pending calls end now, with an error, instead of at their timeouts.
                await client.disconnect()
                ended.continuation.finish()
            }
        }
        // Listed again from a task of its own: the SDK's client awaits a notification handler in
        // its read loop, which must go on to read the answer to `tools/list`.
        await client.onNotification(ToolListChangedNotification.self) { [weak self] _ in
            guard let self else { return }
            Task { await self.relist() }
        }
        try await bounded { [client] in _ = try await client.connect(transport: transport) }
        try await bounded { try await self.listAll() }
    }

    /// Runs start-up work; past the timeout the client is disconnected, which ends it with an error.
    private func bounded(_ work: @escaping @Sendable () async throws -> Void) async throws {
        let timer = Task { [client, timeout] () -> Bool in
            do {
                try await Task.sleep(for: timeout)
            } catch {
                return false
            }
            await client.disconnect()
            return true
        }
        do {
            try await work()
            timer.cancel()
        } catch {
            timer.cancel()
            throw await timer.value ? McpStartError("no answer within \(timeout)") : error
        }
    }

    /// Every page of `tools/list`, at most 50 pages.
    private func listAll() async throws {
        var tools: [Tool] = []
        var cursor: String?
        for _ in 0..<50 {
            let page = try await client.listTools(cursor: cursor)
            tools += page.tools
            cursor = page.nextCursor
            if cursor == nil { break }
        }
        listed.withLock { $0 = tools }
    }

    private func relist() async {
        do {
            try await listAll()
            logger.info("MCP server '\(name)' changed its tools; listed \(listed.withLock { $0.count })")
        } catch {
            logger.warning("MCP server '\(name)' changed its tools and could not be listed again: \(error)")
        }
    }

    func tools() async -> [Tool] { listed.withLock { $0 } }

    func call(_ tool: String, arguments: [String: Value], sideEffects: Bool) async -> ToolCallResult {
        let context: RequestContext<CallTool.Result>
        do {
            context = try await client.callTool(name: tool, arguments: arguments, meta: nil)
        } catch {
            // Never sent: safe to try again whatever the tool does.
            return McpResultMapping.unavailable(name, "\(error)")
        }
        let timer = Task { [client, timeout] in
            try await Task.sleep(for: timeout)
            try? await client.cancelRequest(context.requestID, reason: "timed out")
        }
        defer { timer.cancel() }
        do {
            let answer = try await context.value
            return McpResultMapping.result(
                content: answer.content, structured: answer.structuredContent, isError: answer.isError)
        } catch {
            return McpResultMapping.lost(name, timedOut: error is CancellationError, sideEffects: sideEffects)
        }
    }

    func closed() async {
        for await _ in ended.stream {}
    }

    func close() async {
        process?.kill()
        await client.disconnect()
        if process == nil { ended.continuation.finish() }
    }
}

struct McpStartError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
