import Foundation
import LoomBus
import LoomContract
import Testing

extension IntegrationSuites {
    /// `mcp` capabilities through the running tools service, with a real MCP server (the `mcp`
    /// package from PyPI, `Peers/mcp_peer.py`) over stdio in the command-tool sandbox: listed at
    /// start-up, called with valid and invalid arguments, killed and restarted; and
    /// `loom config check` reaching it.
    @Suite(.serialized) struct McpToolTests {
        /// bubblewrap, and the `mcp` package for the system's Python (the sandbox runs `/usr/bin/python3` as nobody).
        static let peerAvailable: Bool = {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap"),
                let check = try? Process.run(URL(fileURLWithPath: "/usr/bin/python3"), arguments: ["-c", "import mcp"])
            else { return false }
            check.waitUntilExit()
            return check.terminationStatus == 0
        }()

        static func metadata(extra: String = "") throws -> URL {
            let directory = try ToolMetadata.make(
                peer: "mcp_peer.py",
                capabilities: """
                      lookup_part:
                        description: Looks up a part by its SKU.
                        type: mcp
                        sideEffects: false
                        backend: { server: parts, tool: lookup_part }
                        parameters:
                          type: object
                          required: [sku]
                          properties:
                            sku: { type: string }
                      reserve_part:
                        description: Reserves a quantity of a part.
                        type: mcp
                        sideEffects: true
                        backend: { server: parts, tool: reserve_part }
                        parameters:
                          type: object
                          required: [sku, quantity]
                          properties:
                            sku: { type: string }
                            quantity: { type: integer }
                    \(extra)
                    mcpServers:
                      parts:
                        stdio:
                          executable: tools/mcp_peer.py
                          limits: { cpuSeconds: 600, memoryMegabytes: 1024, processes: 256 }
                        timeoutSeconds: 30

                    """)
            // The support agent is offered lookup_part; the scripted model calls it for "part X-123".
            try edit(directory.appendingPathComponent("agents.yaml")) {
                $0.replacingOccurrences(of: "shipping_quote]", with: "shipping_quote, lookup_part]")
            }
            try edit(directory.appendingPathComponent("providers.yaml")) {
                $0.replacingOccurrences(
                    of: "      # A command tool: a program run in a sandbox.\n",
                    with: """
                              - when: "(?i)part ([A-Z]-[0-9]+)"
                                call: { tool: lookup_part, arguments: { sku: "{{1}}" } }
                                reply: "Part {{tool.result.result}}."
                                failureReply: "I could not look up that part: {{tool.error}}"

                        """)
            }
            return directory
        }

        static func edit(_ file: URL, _ change: (String) -> String) throws {
            try change(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        }

        func call(
            _ suite: SuiteHarness, _ capability: String, _ arguments: [String: JSONValue],
            key: String = MessageID.random("mcp")
        ) async throws -> ToolCallResult {
            try await suite.control(
                ToolCallRequest(
                    capability: capability, arguments: .object(arguments), idempotencyKey: key, executionId: "test"),
                service: "tools", expecting: ToolCallResult.self, timeout: .seconds(60),
                as: SuiteHarness.testOrchestrator)
        }

        /// Calls until the answer is not a retryable failure (the server starting or restarting).
        func callWhenUp(_ suite: SuiteHarness, _ capability: String, _ arguments: [String: JSONValue]) async throws
            -> (ToolCallResult, retried: Int)
        {
            var retried = 0
            var result = try await call(suite, capability, arguments)
            while !result.success, result.retryable, retried < 300 {
                retried += 1
                try await Task.sleep(for: .milliseconds(100))
                result = try await call(suite, capability, arguments)
            }
            return (result, retried)
        }

        /// The sandboxed Python server of this metadata directory (its path is unique to the test).
        static func serverProcesses(_ metadata: URL) -> [Int32] {
            let script = metadata.appendingPathComponent("tools/mcp_peer.py").path
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry -> Int32? in
                guard let pid = Int32(entry),
                    let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { return nil }
                let argv = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                guard let first = argv.first, first.hasSuffix("python3") || first.contains("python3."),
                    argv.contains(script)
                else { return nil }
                return pid
            }
        }

        @Test(.enabled(if: peerAvailable)) func aRealServerIsListedCalledKilledAndRestarted() async throws {
            let directory = try Self.metadata()
            defer { try? FileManager.default.removeItem(at: directory) }
            let suite = try await SuiteHarness(configDirectory: directory)
            defer { suite.stop() }

            let (found, _) = try await callWhenUp(suite, "lookup_part", ["sku": .string("A-100")])
            #expect(
                found.success && found.result == .object(["result": .string("A-100: bolt, 12 in stock")]), "\(found)")
            // Refused by the schema before the server sees it.
            let missing = try await call(suite, "lookup_part", [:])
            #expect(!missing.success && missing.code == "invalid_arguments", "\(missing)")
            // Valid for the schema, refused by the tool: its isError answer.
            let unknown = try await call(suite, "lookup_part", ["sku": .string("Z-999")])
            #expect(!unknown.success && unknown.code == "tool_error" && !unknown.retryable, "\(unknown)")
            // Through a turn: the scripted model calls the MCP tool and answers from its result.
            let turn = try await suite.send(["agent": "support", "text": "Tell me about part A-100", "sessionKey": "parts"])
            #expect(turn.json["reply"] as? String == "Part A-100: bolt, 12 in stock.", "\(turn.json)")
            let failed = try await suite.send(["agent": "support", "text": "And part Z-999?", "sessionKey": "parts"])
            let failedReply = failed.json["reply"] as? String ?? ""
            #expect(failedReply.hasPrefix("I could not look up that part:"), "\(failed.json)")
            // A tool the server offers and no capability names is not reachable.
            let hidden = try await call(suite, "hidden_tool", [:])
            #expect(hidden.code == "unknown_tool", "\(hidden)")

            // A side effect acts once per key.
            let key = MessageID.random("reserve")
            let reserved = try await call(
                suite, "reserve_part", ["sku": .string("A-100"), "quantity": .number(2)], key: key)
            let repeated = try await call(
                suite, "reserve_part", ["sku": .string("A-100"), "quantity": .number(2)], key: key)
            #expect(
                reserved.success
                    && reserved.result == .object(["result": .string("reserved 2 x A-100 (reservation 1)")]),
                "\(reserved)")
            #expect(repeated.replayed == true && repeated.result == reserved.result, "\(repeated)")

            let before = Self.serverProcesses(directory)
            #expect(before.count == 1, "one server process: \(before)")
            for pid in before { kill(pid, SIGKILL) }
            let (after, _) = try await callWhenUp(suite, "lookup_part", ["sku": .string("B-200")])
            #expect(after.success && after.result == .object(["result": .string("B-200: nut, 0 in stock")]), "\(after)")
            let health = try await suite.control(HealthQuery(), service: "tools", expecting: HealthResult.self).counters
            #expect(health["mcp.parts.up"] == 1 && (health["mcp.parts.restarts"] ?? 0) >= 1, "\(health)")
            let restarted = Self.serverProcesses(directory)
            #expect(restarted.count == 1 && restarted != before, "a new server process: \(before) then \(restarted)")
            // The restarted server counts from zero: the earlier reservation is in the ledger, not repeated.
            let again = try await call(
                suite, "reserve_part", ["sku": .string("A-100"), "quantity": .number(2)], key: key)
            #expect(again.replayed == true && again.result == reserved.result, "\(again)")
        }

        @Test(.enabled(if: peerAvailable)) func configCheckReportsAMissingToolAndAnUnreachableServer() async throws {
            // The same server over streamable HTTP, started by the test on a free loopback port.
            let port = try FreePort.next()
            let http = Process()
            http.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            http.arguments = [
                SuiteHarness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Peers/mcp_peer.py").path,
                "--http", "\(port)",
            ]
            http.standardOutput = FileHandle.nullDevice
            http.standardError = FileHandle.nullDevice
            try http.run()
            defer {
                kill(http.processIdentifier, SIGKILL)
                http.waitUntilExit()
            }
            for _ in 0..<300 where FreePort.isFree(port) { try await Task.sleep(for: .milliseconds(100)) }
            let directory = try Self.metadata(
                extra: """
                      remote_lookup:
                        description: The same lookup over HTTP.
                        type: mcp
                        backend: { server: remote, tool: lookup_part }
                        parameters: { type: object, required: [sku], properties: { sku: { type: string } } }
                      order_part:
                        description: Not a tool the server offers.
                        type: mcp
                        backend: { server: parts, tool: order_part }
                      broken_lookup:
                        description: On a server that cannot start.
                        type: mcp
                        backend: { server: broken, tool: lookup_part }
                    """)
            defer { try? FileManager.default.removeItem(at: directory) }
            try ToolMetadata.append(
                """
                  broken:
                    stdio: { executable: tools/no_such_server.py }
                    timeoutSeconds: 20
                  remote:
                    url: http://127.0.0.1:\(port)/mcp
                    timeoutSeconds: 20

                """, to: directory)

            let (status, output) = try await LoomProcess.run(["config", "check", directory.path, "--timeout", "30"])
            #expect(status == 2, "\(output)")
            #expect(
                output.contains("capabilities.order_part.backend.tool: the server 'parts' does not offer 'order_part'"),
                "\(output)")
            #expect(output.contains("mcpServers.broken: the server is unreachable"), "\(output)")
            // Found over stdio and over HTTP: no issue for either lookup.
            #expect(!output.contains("lookup_part'") && !output.contains("remote"), "\(output)")

            let (offline, _) = try await LoomProcess.run(["config", "check", directory.path, "--offline"])
            #expect(offline == 0)
        }
    }
}
