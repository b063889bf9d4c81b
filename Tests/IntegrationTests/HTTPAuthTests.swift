import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Bearer tokens on the HTTP API through the running suite: admin endpoints by role,
    /// executions readable by whoever started them, and idempotency keys scoped to the caller.
    @Suite(.serialized) struct HTTPAuthTests {
        static let tokens = [
            "LOOM_TEST_OPS_TOKEN": "ops-token-0001", "LOOM_TEST_ANA_TOKEN": "ana-token-0002",
            "LOOM_TEST_SHOP_TOKEN": "shop-token-0003", "LOOM_TEST_KIOSK_TOKEN": "kiosk-token-0004",
        ]

        static func bearer(_ variable: String) -> [String: String] {
            ["Authorization": "Bearer \(tokens[variable] ?? "")", "Content-Type": "application/json"]
        }

        static let ops = bearer("LOOM_TEST_OPS_TOKEN")
        static let ana = bearer("LOOM_TEST_ANA_TOKEN")
        static let shop = bearer("LOOM_TEST_SHOP_TOKEN")
        static let kiosk = bearer("LOOM_TEST_KIOSK_TOKEN")
        static let strangers = [
            ["Content-Type": "application/json"],
            ["Authorization": "Bearer no-such", "Content-Type": "application/json"],
        ]

        /// The sample metadata with four callers, a drafting endpoint, and ana as an approver.
        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("loom-meta-\(UUID().uuidString)")
            let sample = SuiteHarness.packageRoot.appendingPathComponent("compose")
            try FileManager.default.copyItem(at: sample, to: directory)
            try """
                clients:
                  - { name: ops, role: operator, token: env:LOOM_TEST_OPS_TOKEN }
                  - { name: ana, role: approver, token: env:LOOM_TEST_ANA_TOKEN }
                  - { name: shop, role: client, token: env:LOOM_TEST_SHOP_TOKEN }
                  - { name: kiosk, role: client, token: env:LOOM_TEST_KIOSK_TOKEN }

                """.write(to: directory.appendingPathComponent("clients.yaml"), atomically: true, encoding: .utf8)
            try ProviderTests.append(to: directory.appendingPathComponent("endpoints.yaml"), """
                  api-draft:
                    channel: api
                    delivery: draft

                """)
            try ProviderTests.append(to: directory.appendingPathComponent("routes.yaml"), """
                  - { name: api-draft, endpoint: api-draft, agent: support, allowExplicitAgent: true }

                """)
            try ProviderTests.append(to: directory.appendingPathComponent("trust.yaml"), """
                  approvals:
                    approvers:
                      reviewers: { tokens: [env:LOOM_TEST_ANA_TOKEN] }

                """)
            return directory
        }

        func reply(_ suite: SuiteHarness, _ execution: String) async throws -> ExecutionReplyResult {
            try await suite.control(
                ExecutionReplyQuery(executionId: execution), service: "router", expecting: ExecutionReplyResult.self)
        }

        func start() async throws -> SuiteHarness {
            try await SuiteHarness(configDirectory: try Self.metadata(), extraEnvironment: Self.tokens)
        }

        func send(
            _ suite: SuiteHarness, _ text: String, as caller: [String: String], key: String? = nil,
            endpoint: String = "api"
        ) async throws -> SuiteHarness.HTTPResponse {
            var headers = caller
            headers["Idempotency-Key"] = key
            let body: [String: Any] = ["text": text, "sessionKey": "auth-\(UUID().uuidString)", "endpoint": endpoint]
            let data = try JSONSerialization.data(withJSONObject: body)
            return try await suite.http("POST", "/v1/messages", body: data, headers: headers)
        }

        /// 401 with a problem body and a Bearer challenge, without a token and with an unknown one.
        func expectUnauthorized(_ suite: SuiteHarness, _ method: String, _ path: String) async throws {
            for headers in Self.strangers {
                let response = try await suite.http(method, path, headers: headers)
                #expect(response.status == 401, "\(method) \(path) \(headers)")
                #expect(response.headers["www-authenticate"] == "Bearer", "\(method) \(path)")
                #expect(response.headers["content-type"] == "application/problem+json", "\(method) \(path)")
                #expect(response.json["code"] as? String == "unauthorized", "\(method) \(path)")
            }
        }

        func expectForbidden(
            _ suite: SuiteHarness, _ method: String, _ path: String, as caller: [String: String]
        ) async throws {
            let response = try await suite.http(method, path, headers: caller)
            #expect(response.status == 403, "\(method) \(path)")
            #expect(response.json["code"] as? String == "forbidden", "\(method) \(path)")
        }

        @Test func adminEndpointsAnswerOnlyTheRoleThatMayUseThem() async throws {
            let suite = try await start()
            defer { suite.stop() }

            let drafted = try await send(suite, "hello", as: Self.shop, endpoint: "api-draft")
            #expect(drafted.status == 200 && drafted.json["deliveryStatus"] as? String == "draft")
            let execution = try #require(drafted.json["executionId"] as? String)
            let session = try #require(drafted.json["sessionId"] as? String)
            let held = try #require(try await reply(suite, execution).message)

            let operatorOnly = [
                ("GET", "/v1/drafts"), ("POST", "/v1/drafts/\(held.id)/send"),
                ("POST", "/v1/executions/\(execution)/cancel"), ("POST", "/v1/sessions/\(session)/close"),
            ]
            for (method, path) in operatorOnly {
                try await expectUnauthorized(suite, method, path)
                try await expectForbidden(suite, method, path, as: Self.ana)
                try await expectForbidden(suite, method, path, as: Self.shop)
            }
            for (method, path) in [("GET", "/v1/approvals"), ("POST", "/v1/approvals/apr_nope/approve")] {
                try await expectUnauthorized(suite, method, path)
                try await expectForbidden(suite, method, path, as: Self.shop)
            }

            // The right role: the operator works the drafts, sessions and executions; its name is the actor.
            let list = try await suite.http("GET", "/v1/drafts", headers: Self.ops)
            let drafts = list.json["drafts"] as? [[String: Any]] ?? []
            #expect(list.status == 200 && drafts.contains { $0["id"] as? String == held.id })
            let claimed = Self.ops.merging(["X-Loom-Actor": "mallory"]) { $1 }
            #expect(try await suite.http("POST", "/v1/drafts/\(held.id)/send", headers: claimed).status == 200)
            #expect(try await reply(suite, execution).message?.deliveryDetail == "sent by ops")
            #expect(try await suite.http("POST", "/v1/executions/\(execution)/cancel", headers: Self.ops).status == 200)
            #expect(try await suite.http("POST", "/v1/sessions/\(session)/close", headers: Self.ops).status == 200)
            // The approver lists approvals (its group's: none yet); deciding an unknown one passes the gate.
            let approvals = try await suite.http("GET", "/v1/approvals", headers: Self.ana)
            #expect(approvals.status == 200 && (approvals.json["approvals"] as? [Any])?.isEmpty == true)
            #expect(try await suite.http("POST", "/v1/approvals/apr_nope/approve", headers: Self.ana).status == 404)

            // With client tokens configured, messages need one too.
            for caller in Self.strangers {
                let refused = try await send(suite, "hello", as: caller)
                #expect(refused.status == 401 && refused.headers["www-authenticate"] == "Bearer")
            }
            #expect(try await send(suite, "hello", as: Self.ana).status == 403)
        }

        @Test func executionsAreReadByWhoeverStartedThemAndByOperators() async throws {
            let suite = try await start()
            defer { suite.stop() }

            let started = try await send(suite, "hello", as: Self.shop)
            #expect(started.status == 200)
            let path = "/v1/executions/\(try #require(started.json["executionId"] as? String))/events"
            try await expectUnauthorized(suite, "GET", path)
            try await expectForbidden(suite, "GET", path, as: Self.kiosk)
            try await expectForbidden(suite, "GET", path, as: Self.ana)
            for caller in [Self.shop, Self.ops] {
                let events = try await suite.http("GET", path, headers: caller)
                #expect(events.status == 200 && String(decoding: events.body, as: UTF8.self).contains("event: reply"))
            }
        }

        @Test func idempotencyKeysBelongToTheirCallerAndAreBounded() async throws {
            let suite = try await start()
            defer { suite.stop() }

            let first = try await send(suite, "words of the shop", as: Self.shop, key: "shared-key")
            #expect(first.status == 200 && (first.json["reply"] as? String)?.contains("words of the shop") == true)
            // Another caller with the same key gets its own message and reply, not the first one's.
            let second = try await send(suite, "words of the kiosk", as: Self.kiosk, key: "shared-key")
            #expect(second.status == 200)
            #expect(second.json["messageId"] as? String != first.json["messageId"] as? String)
            #expect(second.json["executionId"] as? String != first.json["executionId"] as? String)
            let reply = try #require(second.json["reply"] as? String)
            #expect(reply.contains("words of the kiosk") && !reply.contains("words of the shop"), "\(reply)")
            // The same caller repeating its key still gets its first answer.
            let again = try await send(suite, "words of the shop", as: Self.shop, key: "shared-key")
            #expect(again.json["executionId"] as? String == first.json["executionId"] as? String)

            let tooLong = try await send(suite, "hello", as: Self.shop, key: String(repeating: "k", count: 256))
            #expect(tooLong.status == 400 && tooLong.json["code"] as? String == "idempotency_key_too_long")
            let longest = try await send(suite, "hello", as: Self.shop, key: String(repeating: "k", count: 255))
            #expect(longest.status == 200)
        }

        @Test func withoutClientTokensMessagesAreOpenButAdminEndpointsAreNot() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }

            let anonymous = ["Content-Type": "application/json"]
            let first = try await send(suite, "an open question", as: anonymous, key: "open-1")
            #expect(first.status == 200 && (first.json["reply"] as? String)?.contains("an open question") == true)
            let again = try await send(suite, "an open question", as: anonymous, key: "open-1")
            #expect(again.json["executionId"] as? String == first.json["executionId"] as? String)
            // An OpenAI SDK always sends some key; on the open API an unknown one counts as none.
            let stranger = ["Authorization": "Bearer sk-unused", "Content-Type": "application/json"]
            #expect(try await send(suite, "hello", as: stranger).status == 200)
            #expect(try await suite.http("GET", "/v1/drafts", headers: stranger).status == 401)

            for (method, path) in [("GET", "/v1/drafts"), ("POST", "/v1/sessions/ses_x/close")] {
                try await expectUnauthorized(suite, method, path)
                let refused = try await suite.http(method, path, headers: [:])
                #expect((refused.json["detail"] as? String)?.contains("clients.yaml") == true)
            }
        }
    }
}
