import Foundation
import LoomBus
import LoomConfig
import LoomContract
import LoomMail

/// Runs `send_email`: composes the message (``EmailComposer``), then either stores it as a
/// draft in the record store (`mode: draft`, nothing leaves the service) or hands it to the
/// configured SMTP server over STARTTLS with AUTH. Credentials are resolved here, from
/// `env:`/`file:`, and appear in no result.
struct EmailAction: Sendable {
    let backend: EmailBackend
    let environment: [String: String]
    let records: RecordStore

    func run(
        _ arguments: [String: JSONValue], key: String, capability: String, irreversible: Bool, at now: Date
    ) async
        -> ToolCallResult
    {
        let composed: EmailComposer.Composed
        do {
            composed = try EmailComposer(backend: backend).compose(arguments, key: key, at: now)
        } catch {
            return .failure(error.code, error.reason)
        }
        let summary: [String: JSONValue] = [
            "messageId": .string("<\(composed.messageId)>"), "to": .array(composed.recipients.map(JSONValue.string)),
            "subject": .string(composed.subject),
        ]
        switch backend.mode {
        case .draft:
            let id = "D-\(MessageID.derived("d", from: key).suffix(8))"
            do {
                try await records.saveDraft(id: id, capability: capability, message: composed.message, at: now)
            } catch {
                return .failure("store_unavailable", "the draft could not be stored: \(error)", retryable: true)
            }
            return ToolCallResult(
                success: true,
                result: .object(summary.merging(["mode": .string("draft"), "draftId": .string(id)]) { $1 }))
        case .send:
            guard let smtp = backend.smtp else { return .failure("not_configured", "no SMTP server is configured") }
            var credentials: SMTPConversation.Credentials?
            if let username = smtp.username, let password = smtp.password {
                guard let user = username.resolve(environment: environment),
                    let secret = password.resolve(environment: environment)
                else { return .failure("not_configured", "the SMTP credentials are missing") }
                credentials = SMTPConversation.Credentials(username: user, password: secret)
            }
            let client = SMTPClient(
                host: smtp.host, port: smtp.port, heloName: MailAddress(backend.from)?.domain ?? "loom.local",
                timeout: .milliseconds(Int64(smtp.timeoutSeconds * 1000)),
                security: smtp.security == .starttls ? .startTLS(caFile: smtp.caFile) : .plain, credentials: credentials
            )
            do {
                try await client.send(from: backend.from, to: composed.recipients, message: composed.message)
            } catch {
                return .failure(
                    error.code, "the message was not sent: \(error.detail)", retryable: error.retryable && !irreversible
                )
            }
            return ToolCallResult(success: true, result: .object(summary.merging(["mode": .string("sent")]) { $1 }))
        }
    }
}

extension RecordStore {
    /// Stores a composed message, sealed and bound to its id.
    func saveDraft(id: String, capability: String, message: String, at now: Date) async throws {
        let sealed = try outcomes.seal(message, boundTo: id)
        try await store.write { db in
            try db.execute(
                sql: "INSERT INTO emailDraft (id, capability, message, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [id, capability, sealed, now.timeIntervalSince1970])
        }
    }

    /// A stored draft's message.
    func draft(id: String) async throws -> String? {
        let sealed = try await store.read { db in
            try String.fetchOne(db, sql: "SELECT message FROM emailDraft WHERE id = ?", arguments: [id])
        }
        return try sealed.map { try outcomes.reveal($0, boundTo: id) }
    }
}
