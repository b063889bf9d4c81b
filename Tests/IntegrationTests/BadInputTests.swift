import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Bad requests get a 4xx with a problem body and leave nothing behind in any store.
    @Suite(.serialized) struct BadInputTests {
        @Test func badRequestsAreRefusedWithProblemBodiesAndPersistNothing() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }

            let cases: [(name: String, body: Data, headers: [String: String], status: Int, code: String)] = [
                ("malformed JSON", Data("{\"agent\": \"support\", ".utf8), [:], 400, "malformed_json"),
                ("not an object", Data("[1,2,3]".utf8), [:], 400, "malformed_json"),
                ("missing text", Data(#"{"agent":"support"}"#.utf8), [:], 422, "missing_text"),
                ("blank text", Data(#"{"agent":"support","text":"   "}"#.utf8), [:], 422, "missing_text"),
                ("wrong type", Data(#"{"agent":"support","text":42}"#.utf8), [:], 422, "invalid_field"),
                ("unknown agent", Data(#"{"agent":"nobody","text":"hi"}"#.utf8), [:], 404, "unknown_agent"),
                ("unknown endpoint", Data(#"{"agent":"support","text":"hi","endpoint":"nowhere"}"#.utf8), [:], 404, "unknown_endpoint"),
                ("not JSON", Data("text=hi".utf8), ["Content-Type": "application/x-www-form-urlencoded"], 415, "unsupported_media_type"),
                ("too large", Data(("{\"agent\":\"support\",\"text\":\"" + String(repeating: "a", count: 300_000) + "\"}").utf8), [:], 413, "body_too_large"),
            ]
            for testCase in cases {
                let response = try await suite.http(
                    "POST", "/v1/messages", body: testCase.body,
                    headers: testCase.headers.isEmpty ? ["Content-Type": "application/json"] : testCase.headers)
                #expect(response.status == testCase.status, "\(testCase.name)")
                #expect(response.headers["content-type"] == "application/problem+json", "\(testCase.name)")
                #expect(response.json["code"] as? String == testCase.code, "\(testCase.name)")
                #expect(response.json["status"] as? Int == testCase.status, "\(testCase.name)")
                #expect((response.json["detail"] as? String)?.isEmpty == false, "\(testCase.name)")
            }

            // No route: a problem body too, and a path served under another method says which.
            let unknown = try await suite.http("GET", "/v1/nothing-here")
            #expect(unknown.status == 404 && unknown.json["code"] as? String == "not_found", "\(unknown.status)")
            #expect(unknown.headers["content-type"] == "application/problem+json")
            let wrongMethod = try await suite.http("GET", "/v1/messages")
            #expect(wrongMethod.status == 405 && wrongMethod.json["code"] as? String == "method_not_allowed")
            #expect(wrongMethod.headers["allow"] == "POST", "\(wrongMethod.headers)")
            let hook = try await suite.http("PUT", "/hooks/slack")
            #expect(hook.status == 405 && hook.headers["allow"] == "GET, POST", "\(hook.headers)")

            let router = try await suite.control(HealthQuery(), service: "router", expecting: HealthResult.self)
            #expect(router.counters["sessions"] == 0)
            #expect(router.counters["messages"] == 0)
            let orchestrator = try await suite.control(HealthQuery(), service: "orchestrator", expecting: HealthResult.self)
            #expect(orchestrator.counters["executions"] == 0)
            let gateway = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self)
            #expect(gateway.requests.isEmpty)

            // And the suite still works.
            let ok = try await suite.send(["agent": "support", "text": "hello"])
            #expect(ok.status == 200)
        }
    }
}
