import Foundation
import LoomConfig
import LoomContract
import LoomStore
import Testing

@testable import LoomTools

/// A side-effecting command runs once per idempotency key, in a real sandbox; a key whose run
/// started and never finished (the service died mid-run) is reported unknown, never run again.
@Suite struct CommandLedgerTests {
    static let root = LedgerFixture.root
    let fixture = LedgerFixture()
    var directory: URL { fixture.directory }

    func runner() throws -> (ToolRunner, RecordStore) {
        let yaml: [String: JSONValue] = [
            "executable": .string("/bin/sh"),
            "arguments": .array([.string("-c"), .string(#"cat >/dev/null; echo '{"sent": true}'"#)]),
        ]
        let (metadata, records) = try fixture.open(adding: [
            "send_it": """
                {"description": "Sends it.", "type": "command", "sideEffects": true,
                 "backend": \(String(decoding: try JSONEncoder().encode(JSONValue.object(yaml)), as: UTF8.self))}
                """
        ])
        let host = SandboxPlan.Host(
            exec: Self.root.appendingPathComponent(".build/debug/loom-sandbox-exec").path, isRoot: geteuid() == 0,
            hidden: [directory.path], configDirectory: "/")
        return (ToolRunner(records: records, metadata: metadata, commands: CommandTool(host: host, environment: [:])), records)
    }

    static func call(_ key: String) -> ToolCallRequest {
        ToolCallRequest(capability: "send_it", arguments: .object([:]), idempotencyKey: key, executionId: "exe")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func oncePerKeyAndAnUnfinishedRunIsUnknown() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (tools, records) = try runner()
        let first = await tools.run(Self.call("k1"))
        #expect(first.success && first.result == .object(["sent": .bool(true)]), "\(first)")
        let again = await tools.run(Self.call("k1"))
        #expect(again.replayed && again.result == first.result)
        #expect(tools.sideEffectsPerformed == 1)

        // As a crash leaves it: the key recorded as started, no outcome after it.
        try await records.store.write { db in
            try records.record(ToolRunner.unknownOutcome, db, idempotencyKey: "k2", capability: "send_it")
        }
        let unknown = await tools.run(Self.call("k2"))
        #expect(!unknown.success && unknown.code == "outcome_unknown" && !unknown.retryable)
        #expect(tools.sideEffectsPerformed == 1)
    }

    /// A tool that runs longer than the cooperative pool keeps an idle thread is not killed with
    /// the thread that started it (bwrap's parent-death signal follows the spawning thread).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func aSlowCommandOutlivesTheThreadThatAskedForIt() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (tools, _) = try runner()
        let slow = try CommandBackend(backend: [
            "executable": .string("/bin/sh"), "arguments": .array([.string("-c"), .string("sleep 7; echo 7")]),
            "limits": .object(["wallSeconds": .number(15)]),
        ])
        let result = await tools.commands?.run(slow, arguments: .object([:]), sideEffects: false)
        #expect(result?.success == true && result?.result == .number(7), "\(String(describing: result))")
    }
}
