import Foundation

/// The client's side of one SMTP exchange as a pure state machine: each server reply in, the
/// next thing to do out (a command line, "start TLS now", or done). The driver
/// (``SMTPClient``) only moves bytes; every protocol decision is here, where tests can script
/// a server.
///
/// Order: greeting, EHLO, (STARTTLS, EHLO again), (AUTH PLAIN or LOGIN), MAIL, RCPT for each
/// recipient, DATA, the dot-stuffed message. Credentials are sent only over TLS.
public struct SMTPConversation: Sendable {
    public enum Action: Sendable, Equatable {
        case send(String)
        case startTLS
        case finished
    }

    public struct Credentials: Sendable, Equatable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    enum Step: Equatable {
        case greeting, ehlo, startTLS, loginUser, loginPassword, auth, mail
        case recipient(Int)
        case data, body, done
    }

    let heloName: String
    let requireTLS: Bool
    let credentials: Credentials?
    let from: String
    let recipients: [String]
    let message: String
    private(set) var step = Step.greeting
    private(set) var tlsActive = false

    public init(
        heloName: String, requireTLS: Bool, credentials: Credentials?, from: String, to recipients: [String],
        message: String
    ) {
        self.heloName = heloName
        self.requireTLS = requireTLS
        self.credentials = credentials
        self.from = from
        self.recipients = recipients
        self.message = message
    }

    /// The connection is now encrypted: greet again, as RFC 3207 requires.
    public mutating func tlsEstablished() -> Action {
        tlsActive = true
        step = .ehlo
        return .send("EHLO \(heloName)")
    }

    public mutating func receive(_ reply: SMTPReply) throws(SMTPFailure) -> Action {
        switch step {
        case .greeting:
            try expect(reply, 200...299, "greeting")
            step = .ehlo
            return .send("EHLO \(heloName)")
        case .ehlo:
            try expect(reply, 200...299, "EHLO")
            return try afterGreeting(reply.extensions)
        case .startTLS:
            try expect(reply, 200...299, "STARTTLS")
            return .startTLS
        case .loginUser:
            try expect(reply, 300...399, "AUTH", auth: true)
            step = .loginPassword
            return .send(Self.base64(credentials?.username ?? ""))
        case .loginPassword:
            try expect(reply, 300...399, "AUTH", auth: true)
            step = .auth
            return .send(Self.base64(credentials?.password ?? ""))
        case .auth:
            try expect(reply, 200...299, "AUTH", auth: true)
            return mail()
        case .mail:
            try expect(reply, 200...299, "MAIL")
            return recipient(0)
        case .recipient(let index):
            try expect(reply, 200...299, "RCPT")
            return recipient(index + 1)
        case .data:
            try expect(reply, 300...399, "DATA")
            step = .body
            return .send(Self.dotStuffed(message) + "\r\n.")
        case .body:
            try expect(reply, 200...299, "message")
            step = .done
            return .finished
        case .done:
            throw SMTPFailure(code: "smtp_protocol", detail: "a reply after the exchange ended", retryable: false)
        }
    }

    private mutating func afterGreeting(_ extensions: [String: [String]]) throws(SMTPFailure) -> Action {
        if requireTLS && !tlsActive {
            guard extensions["STARTTLS"] != nil else {
                throw SMTPFailure(
                    code: "smtp_no_starttls", detail: "the server does not offer STARTTLS", retryable: false)
            }
            step = .startTLS
            return .send("STARTTLS")
        }
        guard let credentials else { return mail() }
        guard tlsActive else {
            throw SMTPFailure(
                code: "smtp_auth_needs_tls", detail: "credentials are sent over TLS only", retryable: false)
        }
        let mechanisms = extensions["AUTH"] ?? []
        if mechanisms.contains("PLAIN") {
            step = .auth
            return .send("AUTH PLAIN " + Self.base64("\u{0}\(credentials.username)\u{0}\(credentials.password)"))
        }
        if mechanisms.contains("LOGIN") {
            step = .loginUser
            return .send("AUTH LOGIN")
        }
        throw SMTPFailure(
            code: "smtp_auth_unsupported", detail: "the server offers neither AUTH PLAIN nor LOGIN", retryable: false)
    }

    private mutating func mail() -> Action {
        step = .mail
        // Addresses can come from an inbound mail; a CR or LF in one would add SMTP commands.
        return .send("MAIL FROM:<\(MailHeaderValue.clean(from))>")
    }

    private mutating func recipient(_ index: Int) -> Action {
        guard index < recipients.count else {
            step = .data
            return .send("DATA")
        }
        step = .recipient(index)
        return .send("RCPT TO:<\(MailHeaderValue.clean(recipients[index]))>")
    }

    /// A reply outside `codes` ends the exchange: 4xx may pass, 5xx will not. Replies to AUTH
    /// are named as such and never echo what was sent.
    private func expect(
        _ reply: SMTPReply, _ codes: ClosedRange<Int>, _ verb: String, auth: Bool = false
    ) throws(SMTPFailure) {
        guard !codes.contains(reply.code) else { return }
        let transient = (400...499).contains(reply.code)
        let code = auth && !transient ? "smtp_auth_failed" : "smtp_\(reply.code)"
        throw SMTPFailure(
            code: code, detail: "\(verb) refused: \(reply.code) \(reply.text.prefix(200))", retryable: transient)
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// CRLF line endings, and a leading "." doubled so no line ends the data early.
    public static func dotStuffed(_ message: String) -> String {
        message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }
}
