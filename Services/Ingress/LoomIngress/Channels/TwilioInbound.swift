import Foundation
import Hummingbird
import LoomConfig
import LoomContract

/// Twilio SMS and WhatsApp webhooks: a form post signed with the account's auth token over
/// the exact URL Twilio called. The `MessageSid` is the dedup key; the conversation is the
/// sender and the endpoint's number.
struct TwilioInbound: InboundAdapter {
    func intake(_ request: WebhookRequest, endpointName: String, endpoint: ChannelEndpoint, replyTo: String) throws(Problem) -> WebhookIntake {
        guard let token = endpoint.authToken?.resolve() else {
            throw Problem(status: 503, title: "Service Unavailable", detail: "the endpoint's auth token is not available", code: "secret_missing")
        }
        let pairs = try HTTPInput.formPairs(request.body)
        guard WebhookSignature.twilio(authToken: token, url: request.url, parameters: pairs, signature: request.headers[.twilioSignature]) else {
            throw HTTPInput.unauthorized("the Twilio signature is missing or does not match this URL and form")
        }
        let form = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        guard let from = form["From"], let to = form["To"] else {
            throw Problem.badRequest("malformed_form", "a Twilio message needs From and To")
        }
        let body = form["Body"] ?? ""
        let mediaCount = Int(form["NumMedia"] ?? "0") ?? 0
        let attachments = (0..<min(mediaCount, 10)).map {
            Attachment(name: form["MediaUrl\($0)"] ?? "media\($0)", contentType: form["MediaContentType\($0)"] ?? "application/octet-stream", bytes: 0)
        }
        let text = body.isEmpty && !attachments.isEmpty ? "[\(attachments.count) attachment(s)]" : body
        let externalId = form["MessageSid"] ?? form["SmsMessageSid"]
        let inbound = InboundMessage(
            channel: endpoint.channel, endpoint: endpointName, agent: nil, sender: from, text: text, sessionKey: "\(from)|\(to)",
            externalMessageId: externalId, replyTo: replyTo, attachments: attachments.isEmpty ? nil : attachments,
            replyContext: ["to": from, "from": to])
        let id = RouterLink.messageId(channel: endpoint.channel, endpoint: endpointName, externalId: externalId, content: request.body)
        // Empty TwiML: the reply goes out through the Messages API once the agent has answered.
        let twiml = textResponse(#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#, contentType: "text/xml")
        return WebhookIntake(messages: text.isEmpty ? [] : [.init(id: id, inbound: inbound)], response: twiml)
    }
}
