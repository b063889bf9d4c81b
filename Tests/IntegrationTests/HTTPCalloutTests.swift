import Foundation
import LoomBus
import LoomContract
import Testing

extension IntegrationSuites {
    /// `http_callout` through the running tools service against a local HTTP server
    /// (`Peers/callout_peer.py`): refused for loopback and the metadata address unless allowed,
    /// redirects followed to the same origin only, the credential sent but never returned, and
    /// an irreversible call made once across a SIGKILL of the tools service.
    @Suite(.serialized) struct HTTPCalloutTests {
        static let token = "callout-token-\(UUID().uuidString)"

        static func metadata(port: Int) throws -> URL {
            try TestMetadata.withCapabilities(
                """
                  callout_local:
                    description: Calls the local test service.
                    backend:
                      action: http_callout
                      baseURL: http://127.0.0.1:\(port)
                      method: GET
                      path: /{route}
                      headers: { Authorization: "Bearer ${env:CALLOUT_TEST_TOKEN}" }
                      maxResponseBytes: 65536
                      allowedNetworks: [127.0.0.1/32]
                    parameters:
                      type: object
                      required: [route]
                      properties:
                        route: { type: string }
                        item: { type: string }
                  callout_named:
                    description: Calls the local test service by name.
                    backend:
                      action: http_callout
                      baseURL: http://localhost:\(port)
                      path: /echo
                      allowedNetworks: [127.0.0.0/8, "::1/128"]
                  callout_slow:
                    description: Calls a test service that answers too late.
                    backend:
                      action: http_callout
                      baseURL: http://127.0.0.1:\(port)
                      path: /slow
                      timeoutSeconds: 1
                      allowPrivateNetworks: true
                  callout_loopback:
                    description: Calls loopback without leave to.
                    backend: { action: http_callout, baseURL: "http://127.0.0.1:\(port)", path: /echo }
                  callout_metadata:
                    description: Calls the cloud metadata address.
                    backend: { action: http_callout, baseURL: "http://169.254.169.254", path: /latest/meta-data/ }
                  callout_stall:
                    description: Creates something slowly on the local test service.
                    backend:
                      action: http_callout
                      baseURL: http://127.0.0.1:\(port)
                      method: POST
                      path: /stall
                      timeoutSeconds: 120
                      allowPrivateNetworks: true

                """)
        }

        /// The test server, then the suite with the callout's token in its environment.
        static func start() async throws -> (ScriptPeer, SuiteHarness) {
            let peer = try await ScriptPeer("callout_peer", port: try FreePort.next())
            do {
                let suite = try await SuiteHarness(
                    configDirectory: try metadata(port: peer.port), extraEnvironment: ["CALLOUT_TEST_TOKEN": token])
                return (peer, suite)
            } catch {
                peer.stop()
                throw error
            }
        }

        func call(
            _ suite: SuiteHarness, _ capability: String, _ arguments: [String: JSONValue] = [:], key: String? = nil,
            timeout: Duration = .seconds(30)
        ) async throws -> ToolCallResult {
            try await suite.control(
                ToolCallRequest(
                    capability: capability, arguments: .object(arguments),
                    idempotencyKey: key ?? MessageID.random("call"),
                    executionId: "test"),
                service: "tools", expecting: ToolCallResult.self, timeout: timeout, as: SuiteHarness.testOrchestrator)
        }

        /// The request headers the test server's `/echo` saw.
        static func echoedHeaders(_ result: ToolCallResult) -> [String: JSONValue]? {
            guard case .object(let answer)? = result.result, case .object(let body)? = answer["body"],
                case .object(let headers)? = body["headers"]
            else { return nil }
            return headers
        }

        static func count(_ peer: ScriptPeer, _ path: String) async throws -> Int {
            (try await peer.get("/_count")["counts"] as? [String: Any])?[path] as? Int ?? 0
        }

        @Test func calloutsReachOnlyWhatTheirCapabilityAllows() async throws {
            let (peer, suite) = try await Self.start()
            defer { peer.stop() }
            defer { suite.stop() }

            let echo = try await call(
                suite, "callout_local", ["route": .string("echo"), "item": .string("a b/c")], key: "echo-1")
            guard case .object(let answer)? = echo.result, case .object(let body)? = answer["body"],
                case .object(let headers)? = body["headers"]
            else {
                Issue.record("no echo: \(echo)")
                return
            }
            #expect(answer["status"] == .number(200) && body["query"] == .string("item=a%20b%2Fc"), "\(answer)")
            #expect(headers["Idempotency-Key"] == .string("echo-1"))
            // Sent to the service, never handed back to the model.
            #expect(try await peer.get("/_count")["authorization"] as? String == "Bearer \(Self.token)")
            #expect(headers["Authorization"] == .string("Bearer [redacted]"), "\(headers)")
            #expect(!suite.log(of: "tools").contains(Self.token))

            let here = try await call(suite, "callout_local", ["route": .string("redirect-here")])
            #expect(here.success, "\(here)")
            let away = try await call(suite, "callout_local", ["route": .string("redirect-away")])
            #expect(!away.success && away.code == "redirect_not_allowed", "\(away)")
            let loop = try await call(suite, "callout_local", ["route": .string("redirect-loop")])
            #expect(!loop.success && loop.code == "too_many_redirects", "\(loop)")
            let big = try await call(suite, "callout_local", ["route": .string("big")])
            #expect(!big.success && big.code == "response_too_large", "\(big)")
            let fail = try await call(suite, "callout_local", ["route": .string("fail")])
            #expect(!fail.success && fail.code == "http_500" && !fail.retryable, "irreversible: \(fail)")
            let missing = try await call(suite, "callout_local", ["route": .string("nothing-here")])
            #expect(!missing.success && missing.code == "http_404" && !missing.retryable, "\(missing)")
            // The redirect to another host was not made.
            #expect(try await Self.count(peer, "/echo") == 2)

            // By name: resolved, checked, and connected to the checked address with the name kept.
            let named = try await call(suite, "callout_named")
            let namedHeaders = try #require(Self.echoedHeaders(named), "no echo by name: \(named)")
            #expect(namedHeaders["host"] == .string("localhost:\(peer.port)"), "\(namedHeaders)")
            let slow = try await call(suite, "callout_slow")
            #expect(!slow.success && slow.code == "timeout" && !slow.retryable, "\(slow)")

            let loopback = try await call(suite, "callout_loopback")
            #expect(!loopback.success && loopback.code == "address_not_allowed", "\(loopback)")
            #expect(try await Self.count(peer, "/echo") == 3, "refused before connecting")
            let metadata = try await call(suite, "callout_metadata")
            #expect(!metadata.success && metadata.code == "address_not_allowed", "\(metadata)")
            #expect(metadata.error?.contains("169.254.169.254") == true)
        }

        /// HTTPS by name: the connection goes to the checked address while TLS verifies the name;
        /// a certificate no configured root signs is refused.
        @Test func httpsIsVerifiedForTheNameItWasCalledBy() async throws {
            let (directory, cert, key) = try TestCertificate.make()
            defer { try? FileManager.default.removeItem(at: directory) }
            let peer = try await ScriptPeer(
                "callout_peer", port: try FreePort.next(), arguments: ["--cert", cert, "--key", key])
            defer { peer.stop() }
            let suite = try await SuiteHarness(
                configDirectory: try TestMetadata.withCapabilities(
                    """
                      callout_tls:
                        description: Calls the local test service over HTTPS.
                        backend:
                          action: http_callout
                          baseURL: https://localhost:\(peer.port)
                          path: /echo
                          caFile: "\(cert)"
                          allowedNetworks: [127.0.0.0/8, "::1/128"]
                      callout_tls_untrusted:
                        description: Calls it trusting the system's roots only.
                        backend:
                          action: http_callout
                          baseURL: https://localhost:\(peer.port)
                          path: /echo
                          allowedNetworks: [127.0.0.0/8, "::1/128"]

                    """))
            defer { suite.stop() }
            let trusted = try await call(suite, "callout_tls")
            let headers = try #require(Self.echoedHeaders(trusted), "no answer over HTTPS: \(trusted)")
            #expect(headers["host"] == .string("localhost:\(peer.port)"), "\(headers)")
            let untrusted = try await call(suite, "callout_tls_untrusted")
            #expect(!untrusted.success && untrusted.code == "tls_failed" && !untrusted.retryable, "\(untrusted)")
        }

        @Test func anIrreversibleCalloutIsMadeOnceAcrossAKillOfTheTools() async throws {
            let (peer, suite) = try await Self.start()
            defer { peer.stop() }
            defer { suite.stop() }
            let key = MessageID.random("stall")
            // The orchestrator's call: its bus node resends it when the tools service is back.
            let first = Task { try await call(suite, "callout_stall", key: key, timeout: .seconds(90)) }
            defer { first.cancel() }
            let deadline = ContinuousClock.now + .seconds(30)
            while try await Self.count(peer, "/stall") == 0 {
                guard ContinuousClock.now < deadline else { throw HarnessError("the callout never arrived") }
                try await Task.sleep(for: .milliseconds(50))
            }
            // The request is in flight at the service: the tools service dies without an answer.
            suite.kill("tools")
            _ = try await peer.get("/_release")
            try await suite.start("tools")
            let retry = try await first.value
            #expect(!retry.success && retry.code == "outcome_unknown" && !retry.retryable, "\(retry)")
            #expect(try await Self.count(peer, "/stall") == 1)
            let again = try await call(suite, "callout_stall", key: key)
            #expect(again.code == "outcome_unknown" && again.replayed, "\(again)")
            #expect(try await Self.count(peer, "/stall") == 1)
            // Another key acts.
            let other = try await call(suite, "callout_stall")
            #expect(other.success, "\(other)")
            #expect(try await Self.count(peer, "/stall") == 2)
        }
    }
}
