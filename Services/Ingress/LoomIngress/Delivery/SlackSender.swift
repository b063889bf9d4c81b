import Foundation
import LoomConfig
import LoomContract

/// Replies in the Slack thread with `chat.postMessage`. Slack answers most errors with
/// HTTP 200 and `"ok": false`; those are failures too.
struct SlackSender: OutboundSender {
    func send(_ message: OutboundMessage, endpoint: ChannelEndpoint, messageId: String) async throws(DeliveryFailure) -> String? {
        guard let token = endpoint.accessToken?.resolve() else { throw .misconfigured("the Slack bot token is not available") }
        guard let channel = message.replyContext?["channel"] else { throw .misconfigured("no Slack channel to reply in") }
        var body: [String: Any] = ["channel": channel, "text": message.text]
        if let thread = message.replyContext?["thread_ts"] { body["thread_ts"] = thread }
        let base = endpoint.apiBaseURL ?? "https://slack.com/api"
        let reply = try await ProviderHTTP.post(
            "\(base)/chat.postMessage",
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json; charset=utf-8"],
            body: ProviderHTTP.json(body), provider: "slack")
        guard let json = reply.json else { throw DeliveryFailure(code: "slack_malformed_reply", detail: "not JSON", retryable: true) }
        guard json["ok"] as? Bool == true else {
            let error = json["error"] as? String ?? "unknown_error"
            throw DeliveryFailure(code: "slack_\(error)", detail: "Slack refused the message: \(error)", retryable: error == "ratelimited")
        }
        return json["ts"] as? String
    }
}
