import Foundation
import LoomContract
import LoomMail
import Testing

@testable import LoomIngress

/// Values from an inbound mail never add headers or SMTP commands of their own.
struct MailHeaderTests {
    @Test func crAndLFAreStrippedFromHeaderValues() {
        #expect(MailHeaderValue.clean("Hello\r\nBcc: victim@example.com") == "Hello  Bcc: victim@example.com")
        #expect(MailHeaderValue.clean("a\nb\rc\u{0}d") == "a b c d")
        #expect(MailHeaderValue.clean("Plain subject\twith tab") == "Plain subject\twith tab")
    }

    @Test func aComposedReplyHasOnlyItsOwnHeaders() throws {
        let message = OutboundMessage(
            executionId: "exec_1", sessionId: "s1", inReplyTo: "msg_1", channel: .email, endpoint: "mail",
            recipient: "ana@example.com", text: "Thanks", status: .completed, error: nil, replyTo: nil,
            replyContext: [
                "to": "ana@example.com\r\nBcc: victim@example.com",
                "subject": "Order\r\nBcc: victim@example.com",
                "inReplyTo": "id@example.com>\r\nX-Injected: yes",
                "references": "<id@example.com>\nX-Injected: yes",
            ])
        let to = "ana@example.com\r\nBcc: victim@example.com"
        let text = EmailSender.compose(message, from: "support@loom.dev", to: to, messageId: "m1@loom.dev")
        let head = try #require(text.components(separatedBy: "\r\n\r\n").first)
        let names = head.components(separatedBy: "\r\n").compactMap { $0.split(separator: ":").first.map(String.init) }
        #expect(!names.contains("Bcc"))
        #expect(!names.contains("X-Injected"))
        #expect(names.filter { $0 == "To" }.count == 1)
        #expect(head.contains("Subject: Re: Order  Bcc: victim@example.com"))
    }
}
