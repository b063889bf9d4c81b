import Foundation
import LoomConfig
import LoomContract
import LoomMail

/// Replies by e-mail in the customer's thread: `In-Reply-To` and `References` point at their
/// message, the subject keeps one `Re:`, and the `Message-ID` is derived from the reply's own
/// id, so a resend is recognisably the same message to the receiving side.
struct EmailSender: OutboundSender {
    func send(_ message: OutboundMessage, endpoint: ChannelEndpoint, messageId: String) async throws(DeliveryFailure) -> String? {
        guard let from = endpoint.address, let host = endpoint.smtpHost else { throw .misconfigured("no address or SMTP host configured") }
        guard let to = message.replyContext?["to"] ?? (message.recipient.contains("@") ? message.recipient : nil) else {
            throw .misconfigured("no address to reply to")
        }
        let ownId = "\(messageId)@\(from.split(separator: "@").last.map(String.init) ?? "loom.local")"
        let text = Self.compose(message, from: from, to: to, messageId: ownId)
        do {
            try await SMTPClient(host: host, port: endpoint.smtpPort ?? 25).send(from: from, to: [to], message: text)
        } catch {
            throw DeliveryFailure(code: error.code, detail: error.detail, retryable: error.retryable)
        }
        return "<\(ownId)>"
    }

    static func compose(_ message: OutboundMessage, from: String, to: String, messageId: String, date: Date = Date()) -> String {
        // Every value from the inbound mail is cleaned: a CR or LF in it would start a header.
        let (from, to) = (MailHeaderValue.clean(from), MailHeaderValue.clean(to))
        let original = MailHeaderValue.clean(message.replyContext?["subject"] ?? "")
        let subject = original.lowercased().hasPrefix("re:") ? original : "Re: " + (original.isEmpty ? "your message" : original)
        var headers = [
            "From: \(from)", "To: \(to)", "Subject: \(MailFormat.encodedHeader(subject))", "Message-ID: <\(messageId)>",
            "Date: \(MailFormat.date(date))",
        ]
        if let inReplyTo = message.replyContext?["inReplyTo"].map(MailHeaderValue.clean) {
            headers.append("In-Reply-To: <\(inReplyTo)>")
        }
        if let references = message.replyContext?["references"].map(MailHeaderValue.clean) {
            headers.append("References: \(references)")
        }
        headers += MailFormat.plainTextHeaders + ["Auto-Submitted: auto-replied"]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(message.text)
    }
}
