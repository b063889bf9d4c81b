import Foundation
import Hummingbird
import LoomConfig
import LoomContract

/// E-mail posted by a mail relay as a raw RFC 5322 message (`message/rfc822` or
/// `text/plain`), authenticated by the relay's bearer token. The thread is the root of the
/// `References` chain (else `In-Reply-To`, else the message's own id), so a reply to our reply
/// continues the same session; the `Message-ID` is the dedup key.
struct EmailInbound: InboundAdapter {
    func intake(_ request: WebhookRequest, endpointName: String, endpoint: ChannelEndpoint, replyTo: String) throws(Problem) -> WebhookIntake {
        guard let token = endpoint.relayToken?.resolve() else {
            throw Problem(status: 503, title: "Service Unavailable", detail: "the endpoint's relay token is not available", code: "secret_missing")
        }
        guard WebhookSignature.bearer(request.headers[.authorization], accepted: [token]) else {
            throw HTTPInput.unauthorized("the mail relay's bearer token is missing or wrong")
        }
        let message: MIMEMessage
        do {
            message = try MIMEMessage(request.body)
        } catch {
            throw Problem.badRequest("malformed_email", "the body is not a MIME message: \(error.reason)")
        }
        guard let fromHeader = message.header("From"), let sender = Self.address(in: fromHeader) else {
            throw Problem.badRequest("malformed_email", "the message has no From address")
        }
        let messageIdHeader = message.header("Message-ID").flatMap { Self.messageIds(in: $0).first }
        let references = message.header("References").map(Self.messageIds) ?? []
        let inReplyTo = message.header("In-Reply-To").flatMap { Self.messageIds(in: $0).first }
        let root = references.first ?? inReplyTo ?? messageIdHeader
        let subject = message.header("Subject") ?? ""
        let body = Self.withoutQuotedReply(message.readableText)
        let text = subject.isEmpty || root != messageIdHeader ? body : "Subject: \(subject)\n\n\(body)"
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !subject.isEmpty else {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "the message has no readable text", code: "empty_email")
        }
        let attachments = message.attachments.map {
            Attachment(name: $0.filename ?? "attachment", contentType: $0.contentType.value, bytes: $0.body.count)
        }
        var context = ["to": message.header("Reply-To").flatMap(Self.address) ?? sender, "subject": subject]
        if let messageIdHeader {
            context["inReplyTo"] = messageIdHeader
            context["references"] = (references.isEmpty ? (inReplyTo.map { [$0] } ?? []) : references).appending(messageIdHeader)
                .map { "<\($0)>" }.joined(separator: " ")
        }
        let inbound = InboundMessage(
            channel: .email, endpoint: endpointName, agent: nil, sender: sender, text: text.isEmpty ? subject : text,
            sessionKey: root.map { "thread:\($0)" }, externalMessageId: messageIdHeader, replyTo: replyTo,
            attachments: attachments.isEmpty ? nil : attachments, replyContext: context)
        let id = RouterLink.messageId(channel: .email, endpoint: endpointName, externalId: messageIdHeader, content: request.body)
        return WebhookIntake(messages: [.init(id: id, inbound: inbound)], response: jsonResponse(["ok": true]))
    }

    /// `Ana <ana@example.com>` → `ana@example.com`.
    static func address(in header: String) -> String? {
        if let open = header.lastIndex(of: "<"), let close = header.lastIndex(of: ">"), open < close {
            let inner = header[header.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            return inner.contains("@") ? inner : nil
        }
        let bare = header.trimmingCharacters(in: .whitespaces)
        return bare.contains("@") && !bare.contains(" ") ? bare : nil
    }

    /// The ids in a `Message-ID`, `In-Reply-To` or `References` header, without brackets.
    static func messageIds(in header: String) -> [String] {
        let bracketed = header.components(separatedBy: "<").dropFirst().compactMap { $0.components(separatedBy: ">").first }
        if !bracketed.isEmpty { return bracketed.filter { !$0.isEmpty } }
        return header.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// Drops the quoted earlier conversation a mail client appends below a reply.
    /// The attribution line (`On <date>, <sender> wrote:`) may be wrapped onto a second line, as
    /// Gmail does when the sender's address is long.
    static func withoutQuotedReply(_ text: String) -> String {
        var kept: [Substring] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("On "), trimmed.hasSuffix("wrote:") { break }
            if trimmed.hasPrefix("On "), index + 1 < lines.count,
                lines[index + 1].trimmingCharacters(in: .whitespaces).hasSuffix("wrote:"),
                trimmed.contains("@") || trimmed.contains(where: \.isNumber)
            {
                break
            }
            if trimmed.hasPrefix(">") { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Array {
    fileprivate func appending(_ element: Element) -> [Element] { self + [element] }
}
