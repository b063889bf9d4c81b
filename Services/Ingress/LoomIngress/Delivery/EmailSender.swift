import Foundation
import LoomConfig
import LoomContract

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
        try await SMTPClient(host: host, port: endpoint.smtpPort ?? 25).send(from: from, to: [to], message: text)
        return "<\(ownId)>"
    }

    static func compose(_ message: OutboundMessage, from: String, to: String, messageId: String, date: Date = Date()) -> String {
        // Every value from the inbound mail is cleaned: a CR or LF in it would start a header.
        let (from, to) = (MailHeaderValue.clean(from), MailHeaderValue.clean(to))
        let original = MailHeaderValue.clean(message.replyContext?["subject"] ?? "")
        let subject = original.lowercased().hasPrefix("re:") ? original : "Re: " + (original.isEmpty ? "your message" : original)
        var headers = [
            "From: \(from)", "To: \(to)", "Subject: \(encodedHeader(subject))", "Message-ID: <\(messageId)>", "Date: \(rfc5322Date(date))",
        ]
        if let inReplyTo = message.replyContext?["inReplyTo"].map(MailHeaderValue.clean) {
            headers.append("In-Reply-To: <\(inReplyTo)>")
        }
        if let references = message.replyContext?["references"].map(MailHeaderValue.clean) {
            headers.append("References: \(references)")
        }
        headers += [
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable",
            "Auto-Submitted: auto-replied",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(message.text)
    }

    /// Non-ASCII header text as an RFC 2047 encoded word.
    static func encodedHeader(_ text: String) -> String {
        text.allSatisfy(\.isASCII) ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
