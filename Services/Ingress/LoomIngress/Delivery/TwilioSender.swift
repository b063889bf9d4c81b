import Foundation
import LoomConfig
import LoomContract

/// Replies through Twilio's Messages API, from the number the customer wrote to.
struct TwilioSender: OutboundSender {
    func send(_ message: OutboundMessage, endpoint: ChannelEndpoint, messageId: String) async throws(DeliveryFailure) -> String? {
        guard let sid = endpoint.accountSid, let token = endpoint.authToken?.resolve() else {
            throw .misconfigured("the Twilio account SID or auth token is not available")
        }
        guard let to = message.replyContext?["to"], let from = message.replyContext?["from"] else {
            throw .misconfigured("no Twilio numbers to reply between")
        }
        let base = endpoint.apiBaseURL ?? "https://api.twilio.com"
        let credentials = Data("\(sid):\(token)".utf8).base64EncodedString()
        let reply = try await ProviderHTTP.post(
            "\(base)/2010-04-01/Accounts/\(sid)/Messages.json",
            headers: ["Authorization": "Basic \(credentials)", "Content-Type": "application/x-www-form-urlencoded"],
            body: ProviderHTTP.form([("To", to), ("From", from), ("Body", message.text)]), provider: "twilio")
        return reply.json?["sid"] as? String
    }
}
