import Foundation
import Hummingbird
import LoomConfig
import LoomContract

/// Slack Events API: signed with the app's signing secret; answers the `url_verification`
/// challenge; turns user messages and mentions into inbound messages. The dedup key is the
/// message itself, `channel:ts`: a Slack retry repeats it, and so does the `app_mention` Slack
/// sends beside the `message` event for the same post (under another `event_id`), so neither
/// starts a second execution.
struct SlackInbound: InboundAdapter {
    struct Payload: Decodable {
        var type: String
        var challenge: String?
        var event_id: String?
        var team_id: String?
        var event: Event?
    }

    struct Event: Decodable {
        var type: String
        var subtype: String?
        var user: String?
        var bot_id: String?
        var text: String?
        var channel: String?
        var ts: String?
        var thread_ts: String?
        var files: [File]?
    }

    struct File: Decodable {
        var name: String?
        var mimetype: String?
        var size: Int?
    }

    func intake(_ request: WebhookRequest, endpointName: String, endpoint: ChannelEndpoint, replyTo: String) throws(Problem) -> WebhookIntake {
        guard let secret = endpoint.signingSecret?.resolve() else {
            throw Problem(status: 503, title: "Service Unavailable", detail: "the endpoint's signing secret is not available", code: "secret_missing")
        }
        guard WebhookSignature.slack(
            secret: secret, timestamp: request.headers[.slackTimestamp], signature: request.headers[.slackSignature], body: request.body)
        else {
            throw HTTPInput.unauthorized("the Slack signature is missing, wrong or outside the five-minute window")
        }
        let payload = try HTTPInput.decodeJSON(Payload.self, from: request.body)
        switch payload.type {
        case "url_verification":
            return .answer(jsonResponse(["challenge": payload.challenge ?? ""]))
        case "event_callback":
            break
        default:
            return .answer(jsonResponse(["ok": true]))
        }
        guard let event = payload.event else { throw Problem.badRequest("malformed_event", "an event_callback without an event") }
        // Only people's messages start work; the bot's own posts and edits/deletions do not.
        guard event.type == "message" || event.type == "app_mention", event.bot_id == nil, event.subtype == nil || event.subtype == "file_share",
            let user = event.user, let channel = event.channel, let ts = event.ts
        else {
            return .answer(jsonResponse(["ok": true]))
        }
        let text = Self.withoutMentions(event.text ?? "")
        guard !text.isEmpty else { return .answer(jsonResponse(["ok": true])) }
        let thread = event.thread_ts ?? ts
        let externalId = "\(channel):\(ts)"
        let inbound = InboundMessage(
            channel: .slack, endpoint: endpointName, agent: nil, sender: user, text: text, sessionKey: "\(channel):\(thread)",
            externalMessageId: externalId, replyTo: replyTo,
            attachments: event.files?.map { Attachment(name: $0.name ?? "file", contentType: $0.mimetype ?? "application/octet-stream", bytes: $0.size ?? 0) },
            replyContext: ["channel": channel, "thread_ts": thread])
        let id = RouterLink.messageId(channel: .slack, endpoint: endpointName, externalId: externalId, content: request.body)
        return WebhookIntake(messages: [.init(id: id, inbound: inbound)], response: jsonResponse(["ok": true]))
    }

    /// `<@U123> hello` → `hello`: the mention of the bot is addressing, not content.
    static func withoutMentions(_ text: String) -> String {
        text.replacingOccurrences(of: "<@[A-Z0-9]+>", with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
