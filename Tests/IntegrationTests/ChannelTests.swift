import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Every channel end to end: a real payload in the provider's format (signed where the
    /// provider signs), the reply observed on a local server speaking the provider's API (or a real
    /// SMTP server), a replayed delivery that starts nothing new, and a bad signature refused.
    @Suite(.serialized) struct ChannelTests {
        /// Executions the orchestrator has seen, from its health counters.
        func executions(_ suite: SuiteHarness) async throws -> Int {
            try await suite.control(HealthQuery(), service: "orchestrator", expecting: HealthResult.self).counters["executions"] ?? -1
        }

        @Test func slackTwilioAndWhatsAppAnswerInTheirOwnThreadsAndIgnoreReplays() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await SuiteHarness(configDirectory: try ChannelFixtures.metadata(peer: peer))
            defer { suite.stop() }

            // Slack: the URL verification handshake, then a signed message answered in its thread.
            let challenge = try JSONSerialization.data(withJSONObject: ["type": "url_verification", "challenge": "abc123", "token": "x"])
            let verified = try await suite.http("POST", "/hooks/slack", body: challenge, headers: ChannelFixtures.slackHeaders(challenge))
            #expect(verified.status == 200 && verified.json["challenge"] as? String == "abc123")

            let event = try ChannelFixtures.slackEvent(id: "Ev001", text: "<@UBOT> hello there", ts: "1700000000.000100")
            let accepted = try await suite.http("POST", "/hooks/slack", body: event, headers: ChannelFixtures.slackHeaders(event))
            #expect(accepted.status == 200)
            let posted = try #require(try await peer.await { $0.path == "/slack/chat.postMessage" }.first)
            #expect(posted.headers["authorization"] == "Bearer xoxb-test")
            #expect(posted.json["channel"] as? String == "C100")
            #expect(posted.json["thread_ts"] as? String == "1700000000.000100")
            #expect((posted.json["text"] as? String)?.contains("Hello! I am the support assistant") == true)

            // Slack retries the same event: acknowledged, no second execution, no second post.
            let before = try await executions(suite)
            var retryHeaders = ChannelFixtures.slackHeaders(event)
            retryHeaders["X-Slack-Retry-Num"] = "1"
            retryHeaders["X-Slack-Retry-Reason"] = "http_timeout"
            let retried = try await suite.http("POST", "/hooks/slack", body: event, headers: retryHeaders)
            #expect(retried.status == 200)

            // Bad signature, and a correct one outside the five-minute window: 401, nothing stored.
            let forged = try ChannelFixtures.slackEvent(id: "Ev002", text: "forged", ts: "1700000000.000200")
            let badSignature = try await suite.http("POST", "/hooks/slack", body: forged, headers: ChannelFixtures.slackHeaders(forged, secret: "wrong"))
            #expect(badSignature.status == 401)
            #expect(badSignature.headers["content-type"] == "application/problem+json")
            let stale = try await suite.http(
                "POST", "/hooks/slack", body: forged, headers: ChannelFixtures.slackHeaders(forged, timestamp: Date().addingTimeInterval(-600)))
            #expect(stale.status == 401)
            var unsigned = ChannelFixtures.slackHeaders(forged)
            unsigned["X-Slack-Signature"] = nil
            #expect(try await suite.http("POST", "/hooks/slack", body: forged, headers: unsigned).status == 401)
            // A signed body that is not JSON is a 400 problem, not a crash.
            let garbage = Data("{not json".utf8)
            #expect(try await suite.http("POST", "/hooks/slack", body: garbage, headers: ChannelFixtures.slackHeaders(garbage)).status == 400)

            // Twilio SMS: signed form, reply through the Messages API from the number written to.
            let smsURL = "\(suite.baseURL.absoluteString)/hooks/sms"
            let (sms, smsHeaders) = ChannelFixtures.twilioForm(
                [("MessageSid", "SM0001"), ("AccountSid", "AC123"), ("From", "+15551230001"), ("To", "+15550009999"), ("Body", "hello from sms"), ("NumMedia", "0")],
                url: smsURL)
            let smsAccepted = try await suite.http("POST", "/hooks/sms", body: sms, headers: smsHeaders)
            #expect(smsAccepted.status == 200)
            #expect(String(decoding: smsAccepted.body, as: UTF8.self).contains("<Response>"))
            let smsReply = try #require(try await peer.await { $0.path == "/twilio/2010-04-01/Accounts/AC123/Messages.json" }.first)
            #expect(smsReply.form["To"] == "+15551230001" && smsReply.form["From"] == "+15550009999")
            #expect(smsReply.headers["authorization"] == "Basic " + Data("AC123:\(ChannelFixtures.twilioToken)".utf8).base64EncodedString())
            #expect(try await suite.http("POST", "/hooks/sms", body: sms, headers: smsHeaders).status == 200)
            var tampered = smsHeaders
            tampered["X-Twilio-Signature"] = "AAAA" + (smsHeaders["X-Twilio-Signature"] ?? "")
            #expect(try await suite.http("POST", "/hooks/sms", body: sms, headers: tampered).status == 401)

            // Twilio WhatsApp: the same API with whatsapp: addresses.
            let (wa, waHeaders) = ChannelFixtures.twilioForm(
                [("MessageSid", "SM0002"), ("From", "whatsapp:+15551230002"), ("To", "whatsapp:+15550008888"), ("Body", "hi on whatsapp")],
                url: "\(suite.baseURL.absoluteString)/hooks/wa-twilio")
            #expect(try await suite.http("POST", "/hooks/wa-twilio", body: wa, headers: waHeaders).status == 200)
            let waReply = try #require(try await peer.await { $0.form["To"] == "whatsapp:+15551230002" }.first)
            #expect(waReply.form["From"] == "whatsapp:+15550008888")

            // Meta WhatsApp Cloud: the subscription check, then a signed message.
            let check = try await suite.http("GET", "/hooks/wa-meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
            #expect(check.status == 200 && String(decoding: check.body, as: UTF8.self) == "1158201444")
            #expect(try await suite.http("GET", "/hooks/wa-meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1").status == 403)
            let meta = try ChannelFixtures.metaMessage(id: "wamid.IN1", from: "15551230003", text: "hello from meta")
            #expect(try await suite.http("POST", "/hooks/wa-meta", body: meta, headers: ChannelFixtures.metaHeaders(meta)).status == 200)
            let graph = try #require(try await peer.await { $0.path == "/graph/PN1/messages" }.first)
            #expect(graph.headers["authorization"] == "Bearer meta-token")
            #expect(graph.json["to"] as? String == "15551230003" && graph.json["messaging_product"] as? String == "whatsapp")
            #expect(try await suite.http("POST", "/hooks/wa-meta", body: meta, headers: ChannelFixtures.metaHeaders(meta, secret: "x")).status == 401)

            // Replays across a router restart still start nothing: the dedup record is durable.
            suite.kill("router")
            try await suite.start("router")
            #expect(try await suite.http("POST", "/hooks/wa-meta", body: meta, headers: ChannelFixtures.metaHeaders(meta)).status == 200)
            #expect(try await suite.http("POST", "/hooks/sms", body: sms, headers: smsHeaders).status == 200)
            #expect(try await suite.http("POST", "/hooks/wa-twilio", body: wa, headers: waHeaders).status == 200)
            let replayedSlack = try ChannelFixtures.slackEvent(id: "Ev001", text: "<@UBOT> hello there", ts: "1700000000.000100")
            #expect(try await suite.http("POST", "/hooks/slack", body: replayedSlack, headers: ChannelFixtures.slackHeaders(replayedSlack)).status == 200)
            // Slack delivers a mention as `message` and `app_mention` too, under another event id.
            let mention = try ChannelFixtures.slackEvent(
                id: "Ev003", text: "<@UBOT> hello there", ts: "1700000000.000100", type: "app_mention")
            #expect(try await suite.http("POST", "/hooks/slack", body: mention, headers: ChannelFixtures.slackHeaders(mention)).status == 200)

            try await Task.sleep(for: .milliseconds(500))
            #expect(try await executions(suite) == before + 3)  // SMS, Twilio WhatsApp, Meta: one each
            let calls = try await peer.received().filter { $0.kind == "http" && !$0.failed }
            #expect(calls.filter { $0.path == "/slack/chat.postMessage" }.count == 1)
            #expect(calls.filter { $0.form["To"] == "+15551230001" }.count == 1)
            #expect(calls.filter { $0.path == "/graph/PN1/messages" }.count == 1)
            #expect(calls.filter { $0.form["To"] == "whatsapp:+15551230002" }.count == 1)

            // The sessions carry each channel's continuity key, and the replies are recorded as sent
            // with the provider's own message id.
            let sessions = try await suite.control(SessionListQuery(), service: "router", expecting: SessionListResult.self).sessions
            #expect(sessions.contains { $0.channel == .slack && $0.continuityKey == "key:C100:1700000000.000100" })
            #expect(sessions.contains { $0.channel == .sms && $0.continuityKey == "key:+15551230001|+15550009999" })
            let slackSession = try #require(sessions.first { $0.channel == .slack })
            let shown = try await suite.control(SessionShowQuery(sessionId: slackSession.id), service: "router", expecting: SessionShowResult.self)
            let outbound = try #require(shown.messages.first { $0.direction == .outbound })
            #expect(outbound.deliveryStatus == .sent)
            #expect(outbound.externalMessageId?.hasPrefix("1700000000.") == true)
        }

        @Test func emailIsParsedThreadedAndAnsweredOverSMTP() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await SuiteHarness(configDirectory: try ChannelFixtures.metadata(peer: peer))
            defer { suite.stop() }
            let relay = ["Content-Type": "message/rfc822", "Authorization": "Bearer \(ChannelFixtures.relayToken)"]

            let first = """
            From: Ana Lima <ana@customer.test>\r
            To: support@loom.test\r
            Subject: =?utf-8?Q?Order_caf=C3=A9?= question\r
            Message-ID: <m1@customer.test>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="outer"\r
            \r
            --outer\r
            Content-Type: multipart/alternative; boundary="inner"\r
            \r
            --inner\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hello, my order for the caf=C3=A9 =\r
            machine is late.\r
            --inner\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>Hello, my order is late.</p>\r
            --inner--\r
            --outer\r
            Content-Type: application/pdf; name="invoice.pdf"\r
            Content-Disposition: attachment; filename="invoice.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0xLjQKJcTl8uXrp/Og0MTGCg==\r
            --outer--\r

            """
            let accepted = try await suite.http("POST", "/hooks/email", body: Data(first.utf8), headers: relay)
            #expect(accepted.status == 200, "\(String(decoding: accepted.body, as: UTF8.self))")
            let mail = try #require(try await peer.await { $0.kind == "smtp" }.first)
            #expect(mail.body.contains("In-Reply-To: <m1@customer.test>"))
            #expect(mail.body.contains("References: <m1@customer.test>"))
            #expect(mail.body.contains("Subject: =?utf-8?B?"))  // "Re: Order café question", encoded
            #expect(mail.body.contains("To: ana@customer.test"))
            #expect(mail.body.contains("Hello! I am the support assistant"))

            // The customer answers our reply: same thread, same session.
            let ourId = try #require(mail.body.components(separatedBy: "Message-ID: <").dropFirst().first?.components(separatedBy: ">").first)
            let second = """
            From: ana@customer.test\r
            To: support@loom.test\r
            Subject: Re: Order question\r
            Message-ID: <m2@customer.test>\r
            In-Reply-To: <\(ourId)>\r
            References: <m1@customer.test> <\(ourId)>\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Any news on my delivery?\r
            \r
            On Mon, support wrote:\r
            > Hello! I am the support assistant.\r

            """
            #expect(try await suite.http("POST", "/hooks/email", body: Data(second.utf8), headers: relay).status == 200)
            let mails = try await peer.await(2) { $0.kind == "smtp" }
            #expect(mails[1].body.contains("1 earlier turn"))  // the session remembered the first message
            #expect(mails[1].body.contains("References: <m1@customer.test> <\(ourId)> <m2@customer.test>"))

            let sessions = try await suite.control(SessionListQuery(), service: "router", expecting: SessionListResult.self).sessions
            let thread = try #require(sessions.first { $0.channel == .email })
            #expect(thread.continuityKey == "key:thread:m1@customer.test" && thread.turnCount == 2)
            let shown = try await suite.control(SessionShowQuery(sessionId: thread.id), service: "router", expecting: SessionShowResult.self)
            let inbound = shown.messages.filter { $0.direction == .inbound }
            #expect(inbound.first?.attachments == [Attachment(name: "invoice.pdf", contentType: "application/pdf", bytes: 22)])
            #expect(inbound.first?.body.contains("café machine is late") == true)
            #expect(inbound.last?.body.contains("wrote:") == false)  // the quoted history is not the turn

            // Replay, a wrong relay token, and a body that is not MIME.
            #expect(try await suite.http("POST", "/hooks/email", body: Data(second.utf8), headers: relay).status == 200)
            var forged = relay
            forged["Authorization"] = "Bearer nope"
            #expect(try await suite.http("POST", "/hooks/email", body: Data(first.utf8), headers: forged).status == 401)
            let noFrom = try await suite.http("POST", "/hooks/email", body: Data("Subject: x\r\n\r\nbody".utf8), headers: relay)
            #expect(noFrom.status == 400 && noFrom.json["code"] as? String == "malformed_email")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await peer.received().filter { $0.kind == "smtp" }.count == 2)
        }
    }
}
