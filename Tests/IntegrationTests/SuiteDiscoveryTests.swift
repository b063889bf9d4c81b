import Foundation
import Testing

extension IntegrationSuites {
    /// The CLI finds a suite `loom up` started on ports of its own, from its data directory or
    /// its URL, and says which address it tried when nothing answers.
    @Suite struct SuiteDiscoveryTests {
        @Test func commandsFindASuiteOnItsOwnPortsAndNameTheAddressWhenNoneAnswers() async throws {
            let up = try await LoomUpSuite(config: SuiteHarness.packageRoot.appendingPathComponent("compose"))
            defer { up.stop() }
            let reply = try await up.send(#"{"agent": "support", "text": "Hi there", "sessionKey": "find-me"}"#)
            let execution = try #require(reply["executionId"] as? String, "\(reply)")
            let record = try String(contentsOf: up.data.appendingPathComponent("suite.json"), encoding: .utf8)
            #expect(record.contains("\(up.httpPort)"), "\(record)")

            let trace = try up.loom(["trace", execution, "--data-dir", up.data.path])
            #expect(trace.status == 0 && trace.output.contains(execution), "\(trace.output)")
            let sessions = try up.loom(["sessions", "list", "--url", "http://127.0.0.1:\(up.httpPort)"])
            #expect(sessions.status == 0 && sessions.output.contains("support"), "\(sessions.output)")

            // Piped, replies come in the order of the lines, with no prompts between them.
            let chat = try up.loom(
                ["chat", "--agent", "support", "--url", "http://127.0.0.1:\(up.httpPort)"],
                input: "Hi, my email is bob@example.com\nWhat did I say?\n")
            let replies = chat.output.split(separator: "\n").filter { $0.hasPrefix("support> ") }
            #expect(chat.status == 0 && replies.count == 2 && !chat.output.contains("you> "), "\(chat.output)")
            #expect(replies.last?.contains("bob@example.com") == true, "\(chat.output)")

            let deadBus = try FreePort.consecutive(5)
            let unreachable = try up.loom(["sessions", "list", "--data-dir", up.data.path, "--bus-port", "\(deadBus)"])
            #expect(unreachable.status != 0, "\(unreachable.output)")
            #expect(unreachable.output.contains("no answer from the router at tcp://127.0.0.1:"), "\(unreachable.output)")
            let deadHTTP = try FreePort.next()
            let dead = try up.loom(["chat", "--agent", "support", "--url", "http://127.0.0.1:\(deadHTTP)"])
            #expect(dead.status != 0 && dead.output.contains("127.0.0.1:\(deadHTTP)"), "\(dead.output)")
        }

        /// Ctrl-C stops the whole suite quietly: no warnings, no errors, no service killed for
        /// overstaying, and the running-suite record is gone.
        @Test func ctrlCStopsTheSuiteWithoutNoise() async throws {
            let up = try await LoomUpSuite(config: SuiteHarness.packageRoot.appendingPathComponent("compose"))
            defer { up.stop() }
            _ = try await up.send(#"{"agent": "support", "text": "Hi there", "sessionKey": "stop-me"}"#)
            let (exited, status) = await up.interrupt()
            #expect(exited && status == 0, "\(up.output)")
            let after = up.output.components(separatedBy: "received SIGINT").last ?? ""
            for noise in [" warning ", " error ", "did not stop", "killing", "restarting"] {
                #expect(!after.contains(noise), "\(noise): \(after)")
            }
            #expect(!FileManager.default.fileExists(atPath: up.data.appendingPathComponent("suite.json").path))
        }
    }
}
