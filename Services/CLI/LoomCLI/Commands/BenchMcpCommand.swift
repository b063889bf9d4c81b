import ArgumentParser
import Foundation
import LoomConfig
import LoomContract
import LoomTools

/// The round trip of one MCP `tools/call` from the tools service's client to a stdio server in
/// its sandbox and back (framing, JSON limits, the SDK's client, the server), without the bus.
struct BenchMcpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Sequential tools/call round trips to a sandboxed stdio MCP server: latency percentiles.")

    @Option(help: "The server program (run in the command-tool sandbox).")
    var executable = "Tests/IntegrationTests/Peers/mcp_peer.py"
    @Option(help: "The tool to call.") var tool = "lookup_part"
    @Option(help: "The arguments, as a JSON object.") var arguments = #"{"sku":"A-100"}"#
    @Option(help: "How many calls to measure.") var count = 200
    @Option(help: "Unmeasured warm-up calls.") var warmup = 20

    func run() async throws {
        let program = URL(fileURLWithPath: executable).standardizedFileURL
        let backend = try CommandBackend(backend: [
            "executable": .string(program.path),
            "limits": .object(["cpuSeconds": .number(600), "processes": .number(256), "wallSeconds": .number(600)]),
        ])
        let parsed = try WireCodec.decodeStored(JSONValue.self, from: arguments)
        let (durations, failures) = try await McpCheck.roundTrips(
            McpServerDefinition(stdio: backend, timeoutSeconds: 30), tool: tool, arguments: parsed, count: count,
            warmup: warmup, configDirectory: program.deletingLastPathComponent())
        let milliseconds = durations.map {
            Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15
        }
        .sorted()
        guard !milliseconds.isEmpty else { throw ValidationError("no call succeeded (\(failures) failed)") }
        func percentile(_ p: Double) -> Double {
            milliseconds[min(milliseconds.count - 1, Int(Double(milliseconds.count) * p))]
        }
        print(
            "mcp tools/call \(tool), \(milliseconds.count) calls (\(failures) failed): "
                + String(
                    format: "p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms",
                    percentile(0.5), percentile(0.9), percentile(0.99), milliseconds.last ?? 0))
    }
}
