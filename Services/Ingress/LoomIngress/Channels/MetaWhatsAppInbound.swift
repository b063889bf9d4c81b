import Foundation
import Hummingbird
import LoomConfig
import LoomContract

/// WhatsApp Cloud API (Meta): `GET` answers the `hub.challenge` subscription check with the
/// configured verify token; `POST` carries `X-Hub-Signature-256` over the raw body and one or
/// more messages, each deduplicated by its `wamid`.
struct MetaWhatsAppInbound: InboundAdapter {
    struct Payload: Decodable {
        var object: String?
        var entry: [Entry]?
    }

    struct Entry: Decodable { var changes: [Change]? }
    struct Change: Decodable { var value: Value? }

    struct Value: Decodable {
        var metadata: Metadata?
        var messages: [Message]?
    }

    struct Metadata: Decodable {
        var phone_number_id: String?
        var display_phone_number: String?
    }

    struct Message: Decodable {
        var from: String
        var id: String
        var type: String
        var text: Text?
        var image: Media?
        var document: Media?
        var audio: Media?
        var video: Media?
    }

    struct Text: Decodable { var body: String }

    struct Media: Decodable {
        var mime_type: String?
        var caption: String?
        var filename: String?
    }

    func intake(_ request: WebhookRequest, endpointName: String, endpoint: ChannelEndpoint, replyTo: String) throws(Problem) -> WebhookIntake {
        if request.method == .get { return try verify(request, endpoint: endpoint) }
        guard let secret = endpoint.signingSecret?.resolve() else {
            throw Problem(status: 503, title: "Service Unavailable", detail: "the endpoint's app secret is not available", code: "secret_missing")
        }
        guard WebhookSignature.meta(appSecret: secret, signature: request.headers[.hubSignature], body: request.body) else {
            throw HTTPInput.unauthorized("the X-Hub-Signature-256 signature is missing or wrong")
        }
        let payload = try HTTPInput.decodeJSON(Payload.self, from: request.body)
        var messages: [WebhookIntake.Message] = []
        for change in (payload.entry ?? []).flatMap({ $0.changes ?? [] }) {
            guard let value = change.value, let phoneNumberId = value.metadata?.phone_number_id else { continue }
            for message in value.messages ?? [] {
                let media = message.image ?? message.document ?? message.audio ?? message.video
                let text = message.text?.body ?? media?.caption ?? "[\(message.type)]"
                let attachments = media.map {
                    [Attachment(name: $0.filename ?? message.type, contentType: $0.mime_type ?? "application/octet-stream", bytes: 0)]
                }
                let inbound = InboundMessage(
                    channel: .whatsapp, endpoint: endpointName, agent: nil, sender: message.from, text: text,
                    sessionKey: "\(message.from)|\(phoneNumberId)", externalMessageId: message.id, replyTo: replyTo,
                    attachments: attachments, replyContext: ["to": message.from, "phoneNumberId": phoneNumberId])
                let id = RouterLink.messageId(channel: .whatsapp, endpoint: endpointName, externalId: message.id, content: request.body)
                messages.append(.init(id: id, inbound: inbound))
            }
        }
        // Status callbacks (sent, delivered, read) carry no messages and are simply acknowledged.
        return WebhookIntake(messages: messages, response: jsonResponse(["ok": true]))
    }

    private func verify(_ request: WebhookRequest, endpoint: ChannelEndpoint) throws(Problem) -> WebhookIntake {
        guard request.query["hub.mode"] == "subscribe", let challenge = request.query["hub.challenge"],
            let expected = endpoint.verifyToken?.resolve(),
            WebhookSignature.constantTimeEqual(expected, request.query["hub.verify_token"] ?? "")
        else {
            throw Problem(status: 403, title: "Forbidden", detail: "the verify token does not match", code: "bad_verify_token")
        }
        return .answer(textResponse(challenge))
    }
}
