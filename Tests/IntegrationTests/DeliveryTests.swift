import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Delivery policies (reply, draft, suppress, review), outbound retries and failures, route
    /// conditions, session rollover and close, and two ingress instances, through the real suite.
    @Suite(.serialized) struct DeliveryTests {
        static let endpoints = """
          api-draft:
            channel: api
            delivery: draft
          api-suppress:
            channel: api
            delivery: suppress
          api-short:
            channel: api
            sessionTurnLimit: 2
          api-ttl:
            channel: api
            sessionInactivitySeconds: 1
          slack-review:
            channel: slack
            delivery: review
            signingSecret: \(ChannelFixtures.slackSecret)
            accessToken: xoxb-test
            apiBaseURL: PEER/slack
        """

        static let routes = """
          - name: refunds-drafted
            endpoint: api
            agent: support
            allowExplicitAgent: true
            when: { keyword: refund }
            delivery: draft
          - { name: api-draft, endpoint: api-draft, agent: support, allowExplicitAgent: true }
          - { name: api-suppress, endpoint: api-suppress, agent: support, allowExplicitAgent: true }
          - { name: api-short, endpoint: api-short, agent: support, allowExplicitAgent: true }
          - { name: api-ttl, endpoint: api-ttl, agent: support, allowExplicitAgent: true }
          - { name: slack-review, endpoint: slack-review, agent: support }
        """

        func start(_ peer: ChannelPeer, extraIngresses: Int = 0) async throws -> SuiteHarness {
            let metadata = try ChannelFixtures.metadata(
                peer: peer, extraEndpoints: Self.endpoints.replacingOccurrences(of: "PEER", with: peer.baseURL), extraRoutes: Self.routes)
            return try await SuiteHarness(
                configDirectory: metadata, extraEnvironment: ["LOOM_OPERATOR_TOKEN": Self.operatorToken],
                extraIngresses: extraIngresses)
        }

        /// The operator token, handed to the ingress as `loom up` does.
        static let operatorToken = "delivery-operator-token"
        static let operatorHeaders = ["Authorization": "Bearer \(operatorToken)"]

        func post(_ suite: SuiteHarness, _ path: String) async throws -> SuiteHarness.HTTPResponse {
            try await suite.http("POST", path, headers: Self.operatorHeaders)
        }

        func message(_ suite: SuiteHarness, execution: String) async throws -> InteractionMessage? {
            try await suite.control(ExecutionReplyQuery(executionId: execution), service: "router", expecting: ExecutionReplyResult.self).message
        }

        func eventually<T>(_ timeout: Duration = .seconds(20), _ probe: () async throws -> T?) async throws -> T {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let value = try await probe() { return value }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw HarnessError("condition not met in time")
        }

        @Test func policiesHoldSuppressAndReleaseRepliesAndSendsAreRetriedOrFailedVisibly() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            // draft: the caller learns the reply is held; someone sends it later.
            let drafted = try await suite.send(["text": "hello", "endpoint": "api-draft"])
            #expect(drafted.status == 200)
            #expect(drafted.json["deliveryStatus"] as? String == "draft" && drafted.json["reply"] == nil)
            let draftExecution = try #require(drafted.json["executionId"] as? String)
            let draft = try #require(try await message(suite, execution: draftExecution))
            #expect(try await suite.http("GET", "/v1/drafts", headers: [:]).status == 401)
            let list = try await suite.http("GET", "/v1/drafts", headers: Self.operatorHeaders)
            #expect((list.json["drafts"] as? [[String: Any]])?.contains { $0["id"] as? String == draft.id } == true)
            #expect(try await post(suite, "/v1/drafts/\(draft.id)/approve").status == 409)  // a draft is sent, not approved
            let sent = try await post(suite, "/v1/drafts/\(draft.id)/send")
            #expect(sent.status == 200)
            #expect(try await message(suite, execution: draftExecution)?.deliveryStatus == .sent)
            #expect(try await message(suite, execution: draftExecution)?.deliveryDetail == "sent by operator")
            #expect(try await post(suite, "/v1/drafts/\(draft.id)/send").status == 409)  // not held any more

            // suppress: recorded, never sent, never listed as a draft.
            let suppressed = try await suite.send(["text": "hello", "endpoint": "api-suppress"])
            #expect(suppressed.json["deliveryStatus"] as? String == "suppressed" && suppressed.json["reply"] == nil)
            #expect(try await message(suite, execution: try #require(suppressed.json["executionId"] as? String))?.deliveryStatus == .suppressed)

            // A route condition overrides the endpoint's policy: refunds on the API are drafted.
            let refund = try await suite.send(["text": "I want a refund please"])
            #expect(refund.json["deliveryStatus"] as? String == "draft")
            #expect(try await suite.send(["text": "hello"]).json["deliveryStatus"] as? String == "sent")

            // review: held until a reviewer approves; 'send' is refused; approval posts to Slack.
            let event = try ChannelFixtures.slackEvent(id: "EvR1", text: "hello reviewer", channel: "C200", ts: "1700000001.000100")
            #expect(try await suite.http("POST", "/hooks/slack-review", body: event, headers: ChannelFixtures.slackHeaders(event)).status == 200)
            let held = try await eventually {
                try await suite.control(DraftListQuery(), service: "router", expecting: DraftListResult.self).drafts.first { $0.channel == .slack }
            }
            #expect(held.deliveryPolicy == .review)
            #expect(try await post(suite, "/v1/drafts/\(held.id)/send").status == 409)
            #expect(try await peer.received().filter { $0.path == "/slack/chat.postMessage" }.isEmpty)
            #expect(try await post(suite, "/v1/drafts/\(held.id)/approve").status == 200)
            let approved = try await peer.await { $0.json["channel"] as? String == "C200" }
            #expect(approved.first?.json["thread_ts"] as? String == "1700000001.000100")

            // A reply rejected by a reviewer is never sent.
            let rejectedEvent = try ChannelFixtures.slackEvent(id: "EvR2", text: "hello again", channel: "C201", ts: "1700000002.000100")
            #expect(try await suite.http("POST", "/hooks/slack-review", body: rejectedEvent, headers: ChannelFixtures.slackHeaders(rejectedEvent)).status == 200)
            let second = try await eventually {
                try await suite.control(DraftListQuery(), service: "router", expecting: DraftListResult.self).drafts.first { $0.channel == .slack }
            }
            let rejected = try await post(suite, "/v1/drafts/\(second.id)/reject")
            #expect(rejected.status == 200)
            #expect((rejected.json["message"] as? [String: Any])?["deliveryStatus"] as? String == "suppressed")

            // reply with a provider that fails twice (503, then 429 with Retry-After): sent once, in the end.
            try await peer.fail(prefix: "/slack/chat.postMessage", status: 503, count: 1)
            try await peer.fail(prefix: "/slack/chat.postMessage", status: 429, count: 1, retryAfter: 1)
            let flaky = try ChannelFixtures.slackEvent(id: "EvF1", text: "hello flaky", channel: "C300", ts: "1700000003.000100")
            #expect(try await suite.http("POST", "/hooks/slack", body: flaky, headers: ChannelFixtures.slackHeaders(flaky)).status == 200)
            _ = try await peer.await { $0.json["channel"] as? String == "C300" }
            let attempts = try await peer.received().filter { $0.json["channel"] as? String == "C300" }
            #expect(attempts.map(\.failed) == [true, true, false])

            // A permanent refusal (Slack's ok:false) is not retried and is visible as failed.
            let gone = try ChannelFixtures.slackEvent(id: "EvG1", text: "hello", channel: "C_GONE", ts: "1700000004.000100")
            #expect(try await suite.http("POST", "/hooks/slack", body: gone, headers: ChannelFixtures.slackHeaders(gone)).status == 200)
            let failed = try await eventually { () -> InteractionMessage? in
                let sessions = try await suite.control(SessionListQuery(), service: "router", expecting: SessionListResult.self).sessions
                guard let session = sessions.first(where: { $0.continuityKey == "key:C_GONE:1700000004.000100" }) else { return nil }
                let shown = try await suite.control(SessionShowQuery(sessionId: session.id), service: "router", expecting: SessionShowResult.self)
                return shown.messages.first { $0.direction == .outbound && $0.deliveryStatus == .failed }
            }
            #expect(failed.deliveryDetail?.contains("channel_not_found") == true)
            #expect(try await peer.received().filter { $0.json["channel"] as? String == "C_GONE" }.count == 1)
        }

        @Test func sessionsRollOverByTurnLimitAndInactivityAndCloseOnRequest() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            let a = try await suite.send(["text": "one", "endpoint": "api-short", "sessionKey": "k1"]).json["sessionId"] as? String
            let b = try await suite.send(["text": "two", "endpoint": "api-short", "sessionKey": "k1"]).json["sessionId"] as? String
            let c = try await suite.send(["text": "three", "endpoint": "api-short", "sessionKey": "k1"]).json["sessionId"] as? String
            #expect(a != nil && a == b && c != a)
            let limited = try await suite.control(SessionShowQuery(sessionId: try #require(a)), service: "router", expecting: SessionShowResult.self)
            #expect(limited.session?.status == .closed && limited.session?.rolloverReason == .turnLimit)

            let first = try await suite.send(["text": "one", "endpoint": "api-ttl", "sessionKey": "k2"]).json["sessionId"] as? String
            try await Task.sleep(for: .milliseconds(1500))
            let later = try await suite.send(["text": "two", "endpoint": "api-ttl", "sessionKey": "k2"]).json["sessionId"] as? String
            #expect(first != nil && later != first)
            let idle = try await suite.control(SessionShowQuery(sessionId: try #require(first)), service: "router", expecting: SessionShowResult.self)
            #expect(idle.session?.rolloverReason == .inactivity)

            let open = try #require(try await suite.send(["text": "hi", "sessionKey": "k3"]).json["sessionId"] as? String)
            #expect(try await suite.http("POST", "/v1/sessions/\(open)/close", headers: [:]).status == 401)
            let closed = try await post(suite, "/v1/sessions/\(open)/close")
            #expect(closed.status == 200 && closed.json["changed"] as? Bool == true)
            #expect((closed.json["session"] as? [String: Any])?["rolloverReason"] as? String == "explicitClose")
            #expect(try await post(suite, "/v1/sessions/\(open)/close").json["changed"] as? Bool == false)
            #expect(try await post(suite, "/v1/sessions/ses_missing/close").status == 404)
            let next = try await suite.send(["text": "hi again", "sessionKey": "k3"]).json["sessionId"] as? String
            #expect(next != nil && next != open)
        }

        @Test func twoIngressInstancesEachAnswerTheirOwnCallersAndEitherSendsChannelReplies() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await start(peer, extraIngresses: 1)
            defer { suite.stop() }
            let secondPort = try #require(suite.ingressPorts["ingress-2"])

            // Replies to waiting callers reach the instance that holds each of them.
            async let viaFirst = suite.send(["text": "hello from one", "sessionKey": "two-1"])
            async let viaSecond = suite.send(["text": "hello from two", "sessionKey": "two-2"], port: secondPort)
            let (one, two) = try await (viaFirst, viaSecond)
            #expect(one.status == 200 && (one.json["reply"] as? String)?.contains("Hello!") == true)
            #expect(two.status == 200 && (two.json["reply"] as? String)?.contains("Hello!") == true)

            // With the first instance gone, a Slack reply still goes out through the second.
            suite.kill("ingress")
            let event = try ChannelFixtures.slackEvent(id: "EvI2", text: "hello", channel: "C900", ts: "1700000009.000100")
            let accepted = try await suite.http(
                "POST", "/hooks/slack", body: event, headers: ChannelFixtures.slackHeaders(event), port: secondPort)
            #expect(accepted.status == 200)
            let posted = try await peer.await { $0.json["channel"] as? String == "C900" }
            #expect(posted.count == 1)
            #expect(suite.log(of: "ingress-2").contains("reply sent"))
        }
    }
}
