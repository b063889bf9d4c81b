import Foundation
import LoomConfig
import LoomContract
import LoomStore
import Testing

@testable import LoomTools

/// A side-effecting command runs once per idempotency key, in a real sandbox; a key whose run
/// started and never finished (the service died mid-run) is reported unknown, never run again.
@Suite struct CommandLedgerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-command-\(UUID().uuidString)")

    static let busy = #"cat >/dev/null; echo '{"success": false, "code": "busy", "retryable": true}'"#

    func runner() throws -> (ToolRunner, RecordStore) {
        var metadata = try LoomMetadata.load(directory: Self.root.appendingPathComponent("compose"))
        func shell(_ script: String, _ effect: String) throws -> CapabilityDefinition {
            let backend: JSONValue = .object([
                "executable": .string("/bin/sh"), "arguments": .array([.string("-c"), .string(script)]),
            ])
            let definition: JSONValue = .object([
                "description": .string("Sends it."), "type": .string("command"), "effect": .string(effect),
                "backend": backend,
            ])
            return try WireCodec.makeDecoder().decode(
                CapabilityDefinition.self, from: try WireCodec.makeEncoder().encode(definition))
        }
        metadata.capabilities["send_it"] = try shell(#"cat >/dev/null; echo '{"sent": true}'"#, "irreversible")
        metadata.capabilities["set_it"] = try shell(Self.busy, "idempotent")
        metadata.capabilities["pay_it"] = try shell(Self.busy, "irreversible")
        metadata.capabilities["slow_pay"] = try shell(#"cat >/dev/null; sleep 1; echo '{"paid": true}'"#, "irreversible")
        let records = try RecordStore.open(
            directory: directory, seed: metadata.records, outcomes: try SealedColumn(key: Data(repeating: 7, count: 32)))
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

    /// A retryable failure of an idempotent call is not recorded, so the retry under the same key
    /// runs it again; the same failure of an irreversible call is final and recorded.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func onlyAnIdempotentCallRunsAgainUnderItsKey() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (tools, _) = try runner()
        let first = await tools.run(Self.call("s1", "set_it"))
        #expect(!first.success && first.code == "busy" && first.retryable, "\(first)")
        let again = await tools.run(Self.call("s1", "set_it"))
        #expect(again.code == "busy" && !again.replayed, "the retry ran: \(again)")

        let paid = await tools.run(Self.call("p1", "pay_it"))
        #expect(paid.code == "busy" && !paid.retryable, "an irreversible failure is final: \(paid)")
        let repeated = await tools.run(Self.call("p1", "pay_it"))
        #expect(repeated.code == "busy" && repeated.replayed, "\(repeated)")
    }

    /// A caller resending while the first run still works joins that run: one effect, one outcome.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")))
    func aRepeatWhileTheCallRunsWaitsForItsOutcome() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
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
        defer { try? FileManager.default.removeItem(at: directory) }
        let (tools, _) = try runner()
        let slow = try CommandBackend(backend: [
            "executable": .string("/bin/sh"), "arguments": .array([.string("-c"), .string("sleep 7; echo 7")]),
            "limits": .object(["wallSeconds": .number(15)]),
        ])
        let result = await tools.commands?.run(slow, arguments: .object([:]), effect: .readOnly)
        #expect(result?.success == true && result?.result == .number(7), "\(String(describing: result))")
    }
}
