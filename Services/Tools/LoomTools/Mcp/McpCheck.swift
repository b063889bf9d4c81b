import Foundation
import Logging
import LoomConfig
import LoomContract
import MCP

/// What the command line asks of MCP servers without a running suite: `loom config check`
/// reaches each declared server (a stdio one started in its sandbox, as the tools service would)
/// and `loom bench mcp` times calls to one.
public enum McpCheck {
    /// Problems found by reaching every server within `timeout` seconds: one that cannot be
    /// reached, a tool a capability names that it does not offer, and `parameters` that do not fit
    /// the tool's `inputSchema`.
    public static func issues(
        _ metadata: LoomMetadata, configDirectory: URL, layout: SuiteLayout, timeout: Double
    ) async -> [String] {
        let host = SandboxPlan.Host.current(
            metadata: metadata, layout: layout, configDirectory: configDirectory,
            environment: ProcessInfo.processInfo.environment)
        var issues: [String] = []
        for (name, declared) in metadata.mcpServers.sorted(by: { $0.key < $1.key }) {
            var server = declared
            server.timeoutSeconds = min(server.timeoutSeconds, timeout)
            let connection: McpConnection
            do {
                connection = try await McpConnection.open(
                    name, server, host: host, environment: ProcessInfo.processInfo.environment, logger: quiet)
            } catch {
                issues.append("mcpServers.\(name): the server is unreachable: \(error)")
                continue
            }
            let listed = await connection.tools()
            await connection.close()
            for (capability, backend) in McpExposure.backends(of: name, metadata.capabilities).sorted(by: {
                $0.key < $1.key
            }) {
                let key = "capabilities.\(capability).backend.tool"
                guard let tool = McpExposure.tool(backend.tool, in: listed) else {
                    let offered = listed.map(\.name).sorted().joined(separator: ", ")
                    issues.append(
                        "\(key): the server '\(name)' does not offer '\(backend.tool)' (it offers: \(offered))")
                    continue
                }
                let parameters = metadata.capabilities[capability]?.parameters ?? .null
                for problem in McpExposure.mismatches(
                    parameters: parameters, inputSchema: McpValue.json(tool.inputSchema))
                {
                    issues.append("capabilities.\(capability).parameters: \(problem)")
                }
            }
        }
        return issues
    }

    /// The wall time of `count` sequential `tools/call` round trips to one server, after `warmup`
    /// unmeasured ones; failed calls are counted, not timed.
    public static func roundTrips(
        _ server: McpServerDefinition, tool: String, arguments: JSONValue, count: Int, warmup: Int, configDirectory: URL
    ) async throws -> (durations: [Duration], failures: Int) {
        let host = SandboxPlan.Host.current(
            hiding: [], configDirectory: configDirectory, environment: ProcessInfo.processInfo.environment)
        let connection = try await McpConnection.open(
            "bench", server, host: host, environment: ProcessInfo.processInfo.environment, logger: quiet)
        guard case .object(let fields) = arguments else { throw McpStartError("the arguments must be an object") }
        let values = fields.mapValues(McpValue.value)
        var durations: [Duration] = []
        var failures = 0
        let clock = ContinuousClock()
        for index in 0..<(warmup + count) {
            let start = clock.now
            let result = await connection.call(tool, arguments: values, sideEffects: false)
            let elapsed = clock.now - start
            if !result.success { failures += 1 } else if index >= warmup { durations.append(elapsed) }
        }
        await connection.close()
        return (durations, failures)
    }

    private static let quiet = Logger(label: "loom.mcp-check", factory: { _ in SwiftLogNoOpLogHandler() })
}
