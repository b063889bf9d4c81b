import Crypto
import Foundation

/// Metadata for the channel tests (the sample agents and providers, with endpoints for every
/// channel pointing their reply APIs at a ``ChannelPeer``), and the providers' signing schemes.
enum ChannelFixtures {
    static let slackSecret = "slack-signing-secret"
    static let twilioToken = "twilio-auth-token"
    static let metaSecret = "meta-app-secret"
    static let relayToken = "relay-token"

    static func metadata(peer: ChannelPeer, extraEndpoints: String = "", extraRoutes: String = "") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
        let base = peer.baseURL
        try """
            endpoints:
              api:
                channel: api
              chat:
                channel: chat
              openai:
                channel: openai
                apiKeys: [sk-test-key]
              slack:
                channel: slack
                signingSecret: \(slackSecret)
                accessToken: xoxb-test
                apiBaseURL: \(base)/slack
              sms:
                channel: sms
                accountSid: AC123
                authToken: \(twilioToken)
                apiBaseURL: \(base)/twilio
              wa-twilio:
                channel: whatsapp
                carrier: twilio
                accountSid: AC123
                authToken: \(twilioToken)
                apiBaseURL: \(base)/twilio
              wa-meta:
                channel: whatsapp
                carrier: meta
                signingSecret: \(metaSecret)
                verifyToken: verify-me
                accessToken: meta-token
                apiBaseURL: \(base)/graph
              email:
                channel: email
                relayToken: \(relayToken)
                address: support@loom.test
                smtpHost: 127.0.0.1
                smtpPort: \(peer.smtpPort)
            \(extraEndpoints)
            """.write(to: directory.appendingPathComponent("endpoints.yaml"), atomically: true, encoding: .utf8)
        let routes = ["api", "chat", "openai", "slack", "sms", "wa-twilio", "wa-meta", "email"].map {
            "  - name: \($0)-support\n    endpoint: \($0)\n    agent: support\n    allowExplicitAgent: true"
        }
        try ("routes:\n" + routes.joined(separator: "\n") + "\n" + extraRoutes)
            .write(to: directory.appendingPathComponent("routes.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func slackHeaders(_ body: Data, timestamp: Date = Date(), secret: String = slackSecret) -> [String: String] {
        let ts = "\(Int(timestamp.timeIntervalSince1970))"
        var base = Data("v0:\(ts):".utf8)
        base.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: base, using: SymmetricKey(data: Data(secret.utf8)))
        return ["Content-Type": "application/json", "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + hex(mac)]
    }

    static func slackEvent(
        id: String, text: String, channel: String = "C100", ts: String, threadTs: String? = nil, type: String = "message"
    ) throws -> Data {
        var event: [String: Any] = ["type": type, "user": "U42", "text": text, "channel": channel, "ts": ts]
        if let threadTs { event["thread_ts"] = threadTs }
        return try JSONSerialization.data(withJSONObject: [
            "type": "event_callback", "team_id": "T1", "event_id": id, "event": event,
        ])
    }

    /// A form body and its `X-Twilio-Signature` for `url`.
    static func twilioForm(_ fields: [(String, String)], url: String, token: String = twilioToken) -> (Data, [String: String]) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        let base = url + fields.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: Data(token.utf8)))
        return (Data(body.utf8), ["Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": Data(mac).base64EncodedString()])
    }

    static func metaHeaders(_ body: Data, secret: String = metaSecret) -> [String: String] {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return ["Content-Type": "application/json", "X-Hub-Signature-256": "sha256=" + hex(mac)]
    }

    static func metaMessage(id: String, from: String, text: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "object": "whatsapp_business_account",
            "entry": [[
                "id": "WABA1",
                "changes": [[
                    "field": "messages",
                    "value": [
                        "messaging_product": "whatsapp",
                        "metadata": ["display_phone_number": "15550001111", "phone_number_id": "PN1"],
                        "contacts": [["profile": ["name": "Ana"], "wa_id": from]],
                        "messages": [["from": from, "id": id, "timestamp": "1700000000", "type": "text", "text": ["body": text]]],
                    ],
                ]],
            ]],
        ])
    }

    static func hex<M: MessageAuthenticationCode>(_ mac: M) -> String { mac.map { String(format: "%02x", $0) }.joined() }
}
