import Foundation
import LoomBus
import LoomConfig
import LoomContract
import LoomMail

/// Turns the model's `send_email` arguments (`to`, `subject`, `text`) into a message, or a
/// refusal: every recipient a plain address the admin's allow-list admits, no CR, LF or other
/// control character in the subject (a header of its own), the body within its limit. The
/// `Message-ID` is derived from the idempotency key, so the receiving side can tell a repeat.
struct EmailComposer: Sendable {
    let backend: EmailBackend

    struct Composed: Sendable, Equatable {
        var recipients: [String]
        var subject: String
        var messageId: String
        var message: String
    }

    struct Refusal: Error, Equatable {
        var code: String
        var reason: String
    }

    func compose(_ arguments: [String: JSONValue], key: String, at now: Date) throws(Refusal) -> Composed {
        let recipients = try self.recipients(arguments["to"])
        guard case .string(let subject)? = arguments["subject"], !subject.isEmpty else {
            throw Refusal(code: "missing_argument", reason: "'subject' is required")
        }
        guard !subject.unicodeScalars.contains(where: Self.isControl), subject.count <= 998 else {
            throw Refusal(code: "header_injection", reason: "the subject must be one line without control characters")
        }
        guard case .string(let text)? = arguments["text"] else {
            throw Refusal(code: "missing_argument", reason: "'text' is required")
        }
        guard text.utf8.count <= backend.maxBodyBytes else {
            throw Refusal(code: "too_large", reason: "the text is longer than \(backend.maxBodyBytes) bytes")
        }
        guard let sender = MailAddress(backend.from) else {
            throw Refusal(code: "not_configured", reason: "the sender address is not configured")
        }
        let messageId = "\(MessageID.derived("mail", from: key))@\(sender.domain)"
        let headers =
            [
                "From: \(sender)", "To: \(recipients.joined(separator: ", "))",
                "Subject: \(MailFormat.encodedHeader(subject))",
                "Message-ID: <\(messageId)>", "Date: \(MailFormat.date(now))",
            ] + MailFormat.plainTextHeaders + ["Auto-Submitted: auto-generated"]
        let message = headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(text)
        return Composed(recipients: recipients, subject: subject, messageId: messageId, message: message)
    }

    /// `to`: one address or a list of them, each plain and allowed.
    func recipients(_ value: JSONValue?) throws(Refusal) -> [String] {
        let texts: [JSONValue] =
            switch value {
            case .string(let one)?: [.string(one)]
            case .array(let many)?: many
            default: []
            }
        guard !texts.isEmpty else { throw Refusal(code: "missing_argument", reason: "'to' is required") }
        guard texts.count <= backend.maxRecipients else {
            throw Refusal(code: "too_many_recipients", reason: "at most \(backend.maxRecipients) recipients")
        }
        var addresses: [String] = []
        for entry in texts {
            guard case .string(let text) = entry else {
                throw Refusal(code: "invalid_recipient", reason: "'to' holds addresses")
            }
            guard !text.unicodeScalars.contains(where: Self.isControl) else {
                throw Refusal(code: "header_injection", reason: "a recipient must not contain control characters")
            }
            guard let address = MailAddress(text) else {
                throw Refusal(
                    code: "invalid_recipient", reason: "'\(text.prefix(100))' is not a plain address (name@domain)")
            }
            guard isAllowed(address) else {
                throw Refusal(code: "recipient_not_allowed", reason: "this capability may not write to '\(address)'")
            }
            addresses.append(address.description)
        }
        return addresses
    }

    /// An allow-list entry is an address (matched whole) or a domain (matched exactly).
    func isAllowed(_ address: MailAddress) -> Bool {
        backend.allowedRecipients.contains { entry in
            if let allowed = MailAddress(entry) {
                return allowed.description.lowercased() == address.description.lowercased()
            }
            return entry.lowercased() == address.domain
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || ["\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }
}
