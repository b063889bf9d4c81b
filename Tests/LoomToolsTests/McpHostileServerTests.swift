import Foundation
import LoomConfig
import LoomContract
import Logging
import Testing

@testable import LoomTools

/// A real connection, in the real sandbox, to a server that misbehaves in every way a call can
/// (`Tests/IntegrationTests/Peers/hostile_mcp.py`): each bad answer is a structured failure (or
/// ignored), the connection keeps working, a changed tool list is listed again, and a server that
/// exits mid-call ends the call at once.
@Suite struct McpHostileServerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let runnable = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    @Test(.enabled(if: runnable)) func aHostileServerGetsStructuredFailuresAndTheConnectionGoesOn() async throws {
        let script = Self.root.appendingPathComponent("Tests/IntegrationTests/Peers/hostile_mcp.py")
        let backend = try CommandBackend(backend: [
            "executable": .string(script.path), "limits": .object(["cpuSeconds": .number(120)]),
        ])
        let host = SandboxPlan.Host(
            exec: Self.root.appendingPathComponent(".build/debug/loom-sandbox-exec").path, isRoot: geteuid() == 0,
            hidden: [], configDirectory: "/")
        let connection = try await McpConnection.open(
            "hostile", McpServerDefinition(stdio: backend, timeoutSeconds: 2), host: host, environment: [:],
            logger: Logger(label: "test"))
        let first = ["echo", "garbage", "huge", "deep", "silent", "exit", "grow"]
        #expect(await connection.tools().map(\.name) == first)

        func call(_ tool: String) async -> ToolCallResult {
            await connection.call(tool, arguments: [:], sideEffects: false)
        }
        #expect(await call("echo") == ToolCallResult(success: true, result: .string("echo")))
        // A line that is not JSON is skipped; the answer after it counts.
        #expect(await call("garbage") == ToolCallResult(success: true, result: .string("garbage")))
        for tool in ["huge", "deep", "silent"] {
            let result = await call(tool)
            #expect(!result.success && result.code == "timeout" && result.retryable, "\(tool): \(result)")
            #expect(await call("echo").success, "the connection answers after \(tool)")
        }
        // notifications/tools/list_changed: listed again.
        #expect(await call("grow").success)
        for _ in 0..<200 where await connection.tools().count == first.count {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await connection.tools().map(\.name) == first + ["late"])

        let effect = await connection.call("silent", arguments: [:], sideEffects: true)
        #expect(effect.code == "outcome_unknown" && !effect.retryable, "\(effect)")

        let exited = await call("exit")
        #expect(!exited.success && exited.code == "server_unavailable" && exited.retryable, "\(exited)")
        await connection.closed()
        let after = await call("echo")
        #expect(!after.success && after.retryable, "\(after)")
        await connection.close()
    }
}
