import Foundation
import LoomBus
import LoomContract
import Testing

extension IntegrationSuites {
    /// `command` capabilities through the running tools service: a program that tries each way
    /// out of its sandbox (`Peers/escape_probe.py`) is contained every time, gets a structured
    /// failure when only a limit stops it, and the service answers the next call.
    @Suite(.serialized) struct CommandToolTests {
        static func metadata() throws -> URL {
            try ToolMetadata.make(peer: "escape_probe.py", capabilities: """
                  escape_probe:
                    description: Tries one way out of its sandbox.
                    type: command
                    effect: readOnly
                    backend:
                      executable: tools/escape_probe.py
                      limits: { wallSeconds: 4, cpuSeconds: 2, memoryMegabytes: 256, processes: 16, outputBytes: 65536 }
                    parameters:
                      type: object
                      required: [attempt]
                      properties:
                        attempt: { type: string }
                        path: { type: string }
                        port: { type: integer }

                """)
        }

        func probe(_ suite: SuiteHarness, _ arguments: [String: JSONValue]) async throws -> ToolCallResult {
            try await suite.control(
                ToolCallRequest(
                    capability: "escape_probe", arguments: .object(arguments), idempotencyKey: MessageID.random("probe"),
                    executionId: "test"),
                service: "tools", expecting: ToolCallResult.self, timeout: .seconds(30), as: SuiteHarness.testOrchestrator)
        }

        func expectContained(_ result: ToolCallResult, _ attempt: String, sourceLocation: SourceLocation = #_sourceLocation) {
            guard case .object(let answer)? = result.result else {
                Issue.record("\(attempt): no answer: \(result)", sourceLocation: sourceLocation)
                return
            }
            #expect(answer["contained"] == .bool(true), "\(attempt): \(answer)", sourceLocation: sourceLocation)
        }

        @Test func everyEscapeAttemptIsContainedAndTheServiceStaysUp() async throws {
            let metadata = try Self.metadata()
            let suite = try await SuiteHarness(configDirectory: metadata)
            defer { suite.stop() }
            let data = suite.directory.appendingPathComponent("data")
            let listener = try LoopbackListener()
            defer { listener.close() }
            // A host service on a Unix socket the sandbox can see (the program's own directory).
            let socketPath = metadata.appendingPathComponent("tools/host.sock").path
            let unixListener = try UnixListener(path: socketPath)
            defer { unixListener.close() }
            let datagramPath = metadata.appendingPathComponent("tools/host.dgram").path
            let datagrams = try UnixListener(path: datagramPath, type: SOCK_DGRAM)
            defer { datagrams.close() }

            let status = try await probe(suite, ["attempt": .string("status")])
            guard case .object(let inside)? = status.result else {
                Issue.record("status: \(status)")
                return
            }
            #expect(inside["uid"] == .number(65534))
            #expect(inside["noNewPrivs"] == .string("1") && inside["seccomp"] == .string("2"), "\(inside)")
            #expect(inside["capEff"] == .string("0000000000000000"), "\(inside)")
            if case .object(let descriptors)? = inside["fds"] {
                #expect(descriptors.keys.sorted() == ["0", "1", "2"], "no inherited descriptors: \(descriptors)")
            }
            // HOME and PATH from the sandbox; PWD and LC_CTYPE are set by bwrap and Python themselves.
            if case .array(let names)? = inside["environment"] {
                #expect(Set(names.compactMap(\.stringValue)).isSubset(of: ["HOME", "PATH", "PWD", "LC_CTYPE"]), "\(names)")
            }
            #expect(inside["hostname"] == .string("loom-tool"))

            let attempts: [(String, [String: JSONValue])] = [
                ("vault key", ["attempt": .string("read"), "path": .string(data.appendingPathComponent("trust/trust-vault.key").path)]),
                ("bus keys", ["attempt": .string("read"), "path": .string(suite.keys.rosterFile.path)]),
                ("shadow", ["attempt": .string("read"), "path": .string("/etc/shadow")]),
                ("write /usr", ["attempt": .string("write"), "path": .string("/usr/escaped")]),
                ("write data", ["attempt": .string("write"), "path": .string(data.appendingPathComponent("tools/escaped").path)]),
                ("loopback", ["attempt": .string("connect"), "port": .number(Double(listener.port))]),
                ("fork", ["attempt": .string("fork")]),
                ("allocate", ["attempt": .string("allocate")]),
                ("ptrace", ["attempt": .string("ptrace")]),
                ("metadata", ["attempt": .string("read"),
                              "path": .string(metadata.appendingPathComponent("capabilities.yaml").path)]),
                ("unix socket", ["attempt": .string("unix"), "path": .string(socketPath)]),
                ("unix socket, high bits", ["attempt": .string("unix-high-bits"), "path": .string(socketPath)]),
                ("datagram pair", ["attempt": .string("datagram-pair"), "path": .string(datagramPath)]),
                ("vsock", ["attempt": .string("vsock")]),
                ("memfd", ["attempt": .string("memfd")]),
                ("user namespace", ["attempt": .string("userns")]),
                ("/run", ["attempt": .string("list"), "path": .string("/run")]),
            ]
            // Each target is there to be read: only the sandbox stops the attempt.
            for (name, arguments) in attempts where arguments["attempt"] == .string("read") {
                let path = arguments["path"]?.stringValue ?? ""
                #expect(FileManager.default.fileExists(atPath: path), "\(name): \(path) should exist on the host")
            }
            for (name, arguments) in attempts {
                expectContained(try await probe(suite, arguments), name)
            }
            #expect(!FileManager.default.fileExists(atPath: "/usr/escaped"))
            #expect(listener.accepted == 0 && unixListener.accepted == 0 && datagrams.received == 0)

            let spin = try await probe(suite, ["attempt": .string("spin")])
            #expect(!spin.success && ["cpu_limit", "killed", "timeout"].contains(spin.code ?? ""), "\(spin)")
            let flood = try await probe(suite, ["attempt": .string("flood")])
            #expect(!flood.success && flood.code == "output_too_large", "\(flood)")
            let unknown = try await probe(suite, ["attempt": .string("nothing")])
            #expect(!unknown.success && unknown.code == "unknown_attempt", "\(unknown)")
            // Still up, and still confined.
            expectContained(try await probe(suite, ["attempt": .string("read"), "path": .string("/etc/shadow")]), "shadow again")

            // The sample command tool, called by the model in a turn.
            let turn = try await suite.send(["agent": "support", "text": "What does shipping to FR cost?", "sessionKey": "ship"])
            #expect(turn.json["reply"] as? String == "Shipping 2 kg to FR: 7.7 EUR, about 3 days.", "\(turn.json)")
            let refused = try await suite.send(["agent": "support", "text": "And shipping to ZZ?", "sessionKey": "ship"])
            #expect(refused.json["reply"] as? String == "I could not get a shipping quote: no shipping to ZZ", "\(refused.json)")
        }
    }
}
