import Foundation
import LoomConfig
import LoomContract

/// Replies through the WhatsApp Cloud API's messages endpoint on the Graph API.
struct MetaWhatsAppSender: OutboundSender {
    func send(_ message: OutboundMessage, endpoint: ChannelEndpoint, messageId: String) async throws(DeliveryFailure) -> String? {
        guard let token = endpoint.accessToken?.resolve() else { throw .misconfigured("the WhatsApp access token is not available") }
        guard let to = message.replyContext?["to"], let phoneNumberId = message.replyContext?["phoneNumberId"] else {
            throw .misconfigured("no WhatsApp number to reply to")
        }
        let base = endpoint.apiBaseURL ?? "https://graph.facebook.com/v21.0"
        let body: [String: Any] = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
            "text": ["preview_url": false, "body": message.text],
        ]
        let reply = try await ProviderHTTP.post(
            "\(base)/\(phoneNumberId)/messages", headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: ProviderHTTP.json(body), provider: "whatsapp")
        return ((reply.json?["messages"] as? [[String: Any]])?.first?["id"]) as? String
    }
}
