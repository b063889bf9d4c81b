import Foundation
import LoomMail
import Testing

/// The SMTP exchange against a scripted server: the commands in order, STARTTLS before
/// anything that matters, AUTH only over TLS, replies parsed with their limits.
struct SMTPConversationTests {
    static let credentials = SMTPConversation.Credentials(username: "bot", password: "s3cret")

    func conversation(
        tls: Bool = true, credentials: SMTPConversation.Credentials? = Self.credentials
    ) -> SMTPConversation {
        SMTPConversation(
            heloName: "example.org", requireTLS: tls, credentials: credentials, from: "bot@example.org",
            to: ["a@example.com", "b@example.com"], message: "Subject: hi\r\n\r\n.hidden\r\nbye")
    }

    /// A conversation past STARTTLS, about to read the second EHLO's reply.
    func overTLS() throws -> SMTPConversation {
        var smtp = conversation()
        _ = try smtp.receive(Self.reply(220))
        _ = try smtp.receive(Self.reply(250, "mx", "STARTTLS"))
        _ = try smtp.receive(Self.reply(220))
        _ = smtp.tlsEstablished()
        return smtp
    }

    static func reply(_ code: Int, _ lines: String...) -> SMTPReply {
        SMTPReply(code: code, lines: lines.isEmpty ? [""] : lines)
    }

    @Test func startTLSThenAuthPlainThenTheMessage() throws {
        var smtp = conversation()
        #expect(try smtp.receive(Self.reply(220, "mx ready")) == .send("EHLO example.org"))
        #expect(try smtp.receive(Self.reply(250, "mx", "STARTTLS", "SIZE 1000")) == .send("STARTTLS"))
        #expect(try smtp.receive(Self.reply(220, "go ahead")) == .startTLS)
        #expect(smtp.tlsEstablished() == .send("EHLO example.org"))
        let plain = Data("\u{0}bot\u{0}s3cret".utf8).base64EncodedString()
        #expect(try smtp.receive(Self.reply(250, "mx", "AUTH LOGIN PLAIN")) == .send("AUTH PLAIN \(plain)"))
        #expect(try smtp.receive(Self.reply(235, "ok")) == .send("MAIL FROM:<bot@example.org>"))
        #expect(try smtp.receive(Self.reply(250)) == .send("RCPT TO:<a@example.com>"))
        #expect(try smtp.receive(Self.reply(250)) == .send("RCPT TO:<b@example.com>"))
        #expect(try smtp.receive(Self.reply(250)) == .send("DATA"))
        #expect(try smtp.receive(Self.reply(354)) == .send("Subject: hi\r\n\r\n..hidden\r\nbye\r\n."))
        #expect(try smtp.receive(Self.reply(250, "queued")) == .finished)
    }

    @Test func authLoginWhenPlainIsNotOffered() throws {
        var smtp = try overTLS()
        #expect(try smtp.receive(Self.reply(250, "mx", "AUTH LOGIN")) == .send("AUTH LOGIN"))
        #expect(try smtp.receive(Self.reply(334, "VXNlcm5hbWU6")) == .send(Data("bot".utf8).base64EncodedString()))
        #expect(try smtp.receive(Self.reply(334, "UGFzc3dvcmQ6")) == .send(Data("s3cret".utf8).base64EncodedString()))
        #expect(try smtp.receive(Self.reply(235)) == .send("MAIL FROM:<bot@example.org>"))
    }

    @Test func refusedCredentialsAreAStructuredFailureThatNamesNoSecret() throws {
        var smtp = try overTLS()
        _ = try smtp.receive(Self.reply(250, "mx", "AUTH PLAIN"))
        #expect(throws: SMTPFailure.self) { try smtp.receive(Self.reply(535, "5.7.8 bad credentials")) }
        do {
            _ = try smtp.receive(Self.reply(535, "bad"))
        } catch {
            #expect(error.code == "smtp_auth_failed" && !error.retryable && !error.detail.contains("s3cret"))
        }
    }

    @Test func noStartTLSOfferedOrCredentialsInTheClearAreRefused() throws {
        var smtp = conversation()
        _ = try smtp.receive(Self.reply(220))
        do {
            _ = try smtp.receive(Self.reply(250, "mx", "AUTH PLAIN"))
            Issue.record("went on without TLS")
        } catch {
            #expect(error.code == "smtp_no_starttls")
        }
        var clear = conversation(tls: false)
        _ = try clear.receive(Self.reply(220))
        do {
            _ = try clear.receive(Self.reply(250, "mx", "AUTH PLAIN"))
            Issue.record("sent credentials in the clear")
        } catch {
            #expect(error.code == "smtp_auth_needs_tls")
        }
    }

    /// The ingress's relay: no TLS, no AUTH, as before; CR/LF in addresses never adds commands.
    @Test func aPlainRelayExchange() throws {
        var smtp = SMTPConversation(
            heloName: "loom.local", requireTLS: false, credentials: nil, from: "a@x.org\r\nRCPT TO:<evil@y.org>",
            to: ["b@x.org"],
            message: "hi")
        _ = try smtp.receive(Self.reply(220))
        #expect(try smtp.receive(Self.reply(250, "mx")) == .send("MAIL FROM:<a@x.org  RCPT TO:<evil@y.org>>"))
        #expect(try smtp.receive(Self.reply(250)) == .send("RCPT TO:<b@x.org>"))
        do {
            _ = try smtp.receive(Self.reply(451, "try later"))
            Issue.record("accepted a 451")
        } catch {
            #expect(error.code == "smtp_451" && error.retryable)
        }
    }

    @Test func repliesAreParsedAcrossChunksWithLimits() throws {
        var parser = SMTPReplyParser()
        try parser.append(Array("250-mx.example\r\n250-STAR".utf8))
        #expect(try parser.next() == nil)
        try parser.append(Array("TTLS\r\n250 AUTH PLAIN LOGIN\r\n220 next".utf8))
        let reply = try #require(try parser.next())
        #expect(reply.code == 250 && reply.lines == ["mx.example", "STARTTLS", "AUTH PLAIN LOGIN"])
        #expect(reply.extensions["AUTH"] == ["PLAIN", "LOGIN"] && reply.extensions["STARTTLS"] == [])
        #expect(try parser.next() == nil && parser.hasPendingBytes)

        var bad = SMTPReplyParser()
        try bad.append(Array("hello\r\n".utf8))
        #expect(throws: SMTPFailure.self) { try bad.next() }
        var mixed = SMTPReplyParser()
        try mixed.append(Array("250-a\r\n550 b\r\n".utf8))
        #expect(throws: SMTPFailure.self) { try mixed.next() }
        var long = SMTPReplyParser()
        #expect(throws: SMTPFailure.self) {
            try long.append([UInt8](repeating: 65, count: SMTPReplyParser.maximumLineBytes + 1))
        }
    }
}
