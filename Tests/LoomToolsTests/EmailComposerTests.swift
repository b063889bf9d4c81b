import Foundation
import LoomConfig
import LoomContract
import Testing

@testable import LoomTools

/// `send_email`'s arguments: recipients from the allow-list only, no header injection, and a
/// message whose `Message-ID` follows from the idempotency key.
struct EmailComposerTests {
    static func composer(_ allowed: [String] = ["example.com", "ops@partner.org"]) throws -> EmailComposer {
        EmailComposer(
            backend: try EmailBackend(backend: [
                "from": "support@loom.example", "allowedRecipients": .array(allowed.map(JSONValue.string)),
            ]))
    }

    static func refusal(_ arguments: [String: JSONValue]) throws -> String? {
        let composer = try composer()
        do {
            _ = try composer.compose(arguments, key: "k", at: Date(timeIntervalSince1970: 0))
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aMessageToAllowedRecipients() throws {
        let mail = try Self.composer().compose(
            ["to": .array(["Ann@Example.com", "ops@partner.org"]), "subject": "Your order", "text": "Hello\n.\nBye"],
            key: "call-1", at: Date(timeIntervalSince1970: 0))
        #expect(mail.recipients == ["Ann@example.com", "ops@partner.org"])
        #expect(
            mail.message.contains("\r\nSubject: Your order\r\n")
                && mail.message.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        let again = try Self.composer().compose(
            ["to": "a@example.com", "subject": "x", "text": "y"], key: "call-1", at: Date())
        #expect(again.messageId == mail.messageId && mail.messageId.hasSuffix("@loom.example"))
    }

    @Test func recipientsOutsideTheAllowListAreRefused() throws {
        #expect(try Self.refusal(["to": "someone@evil.org", "subject": "s", "text": "t"]) == "recipient_not_allowed")
        #expect(try Self.refusal(["to": "other@partner.org", "subject": "s", "text": "t"]) == "recipient_not_allowed")
        #expect(try Self.refusal(["to": "a@sub.example.com", "subject": "s", "text": "t"]) == "recipient_not_allowed")
        #expect(try Self.refusal(["to": "Ann <a@example.com>", "subject": "s", "text": "t"]) == "invalid_recipient")
        #expect(try Self.refusal(["to": .array([]), "subject": "s", "text": "t"]) == "missing_argument")
    }

    @Test func headerInjectionIsRefused() throws {
        #expect(
            try Self.refusal(["to": "a@example.com", "subject": "Hi\r\nBcc: victim@evil.org", "text": "t"])
                == "header_injection")
        #expect(try Self.refusal(["to": "a@example.com", "subject": "Hi\nX: y", "text": "t"]) == "header_injection")
        #expect(
            try Self.refusal(["to": "a@example.com\r\nBcc: v@evil.org", "subject": "s", "text": "t"])
                == "header_injection")
        #expect(
            try Self.refusal(["to": "a@example.com", "subject": "Hi\u{2028}there", "text": "t"]) == "header_injection")
    }

    @Test func theConfigCheckNamesWhatIsMissing() throws {
        let open = try EmailBackend(backend: ["from": "bot@x.org", "mode": "send"])
        #expect(
            open.problems.contains { $0.contains("allowedRecipients") }
                && open.problems.contains { $0.contains("smtp") })
        let clear = try EmailBackend(backend: [
            "from": "bot@x.org", "allowedRecipients": ["x.org"],
            "smtp": .object(["host": "mx", "security": "plain", "username": "env:U", "password": "hunter2"]),
        ])
        #expect(
            clear.problems.contains { $0.contains("STARTTLS") } && clear.problems.contains { $0.contains("env:NAME") })
    }
}
