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

    static let busy = #"cat >/dev/null; echo '{"success": false, "code": "busy", "retryable": true}'"#

    func runner() throws -> (ToolRunner, RecordStore) {
        func shell(_ script: String, _ effect: String) -> String {
            let backend: JSONValue = .object([
                "executable": .string("/bin/sh"), "arguments": .array([.string("-c"), .string(script)]),
            ])
            return #"{"description": "Sends it.", "type": "command", "effect": "\#(effect)", "backend": "#
                + backend.compactJSON + "}"
        }
        let (metadata, records) = try fixture.open(adding: [
            "send_it": shell(#"cat >/dev/null; echo '{"sent": true}'"#, "irreversible"),
            "set_it": shell(Self.busy, "idempotent"),
            "pay_it": shell(Self.busy, "irreversible"),
            "slow_pay": shell(#"cat >/dev/null; sleep 1; echo '{"paid": true}'"#, "irreversible"),
        ])
        let host = SandboxPlan.Host(
            exec: Self.root.appendingPathComponent(".build/debug/loom-sandbox-exec").path, isRoot: geteuid() == 0,
            hidden: [directory.path], configDirectory: "/")
        return (ToolRunner(records: records, metadata: metadata, commands: CommandTool(host: host, environment: [:])), records)
    }

    static func call(_ key: String, _ capability: String = "send_it") -> ToolCallRequest {
        ToolCallRequest(capability: capability, arguments: .object([:]), idempotencyKey: key, executionId: "exe")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func oncePerKeyAndAnUnfinishedRunIsUnknown() async throws {
        defer { fixture.remove() }
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

    /// A retryable failure says the call did nothing, so it is not the key's outcome: the retry
    /// under the same key runs again, whatever the effect.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func aRetryableFailureLeavesTheKeyFree() async throws {
        defer { fixture.remove() }
        let (tools, records) = try runner()
        for capability in ["set_it", "pay_it"] {
            let first = await tools.run(Self.call("\(capability)-1", capability))
            #expect(!first.success && first.code == "busy" && first.retryable, "\(first)")
            let again = await tools.run(Self.call("\(capability)-1", capability))
            #expect(again.code == "busy" && !again.replayed, "the retry ran: \(again)")
            let recorded = try await records.store.read { db in
                try records.recordedOutcome(db, idempotencyKey: "\(capability)-1")
            }
            #expect(recorded == nil, "\(capability)")
        }
    }

    /// A caller resending while the first run still works joins that run: one effect, one outcome.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func aRepeatWhileTheCallRunsWaitsForItsOutcome() async throws {
        defer { fixture.remove() }
        let (tools, _) = try runner()
        async let first = tools.run(Self.call("j1", "slow_pay"))
        try await Task.sleep(for: .milliseconds(200))
        async let second = tools.run(Self.call("j1", "slow_pay"))
        let (a, b) = await (first, second)
        #expect(a.success && b.success && a.result == b.result, "\(a) \(b)")
        #expect(tools.sideEffectsPerformed == 1)
    }

    /// A tool that runs longer than the cooperative pool keeps an idle thread is not killed with
    /// the thread that started it (bwrap's parent-death signal follows the spawning thread).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func aSlowCommandOutlivesTheThreadThatAskedForIt() async throws {
        defer { fixture.remove() }
        let (tools, _) = try runner()
        let slow = try CommandBackend(backend: [
            "executable": .string("/bin/sh"), "arguments": .array([.string("-c"), .string("sleep 7; echo 7")]),
            "limits": .object(["wallSeconds": .number(15)]),
        ])
        let result = await tools.commands?.run(slow, arguments: .object([:]), effect: .readOnly)
        #expect(result?.success == true && result?.result == .number(7), "\(String(describing: result))")
    }
}
