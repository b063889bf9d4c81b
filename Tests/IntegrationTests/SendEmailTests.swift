import Foundation
import LoomBus
import LoomContract
import Testing

extension IntegrationSuites {
    /// `send_email` through the running tools service against a real SMTP server (aiosmtpd,
    /// `Peers/smtp_peer.py`) that requires STARTTLS with the test's self-signed certificate and
    /// AUTH: the message arrives, wrong credentials are a structured failure, a draft sends
    /// nothing, and a recipient outside the allow-list is refused.
    @Suite(.serialized) struct SendEmailTests {
        static let password = "pw-\(UUID().uuidString)"

        /// `cert` nil: the system's roots, which do not know the test's certificate.
        static func capability(_ name: String, mode: String, port: Int, cert: String?, passwordFile: String) -> String {
            let trust = cert.map { "caFile: \"\($0)\"" } ?? "timeoutSeconds: 20"
            return """
                  \(name):
                    description: Writes an e-mail.
                    backend:
                      action: send_email
                      mode: \(mode)
                      from: support@loom.example
                      allowedRecipients: [example.com]
                      smtp:
                        host: localhost
                        port: \(port)
                        \(trust)
                        username: loom-bot
                        password: "file:\(passwordFile)"
                    parameters:
                      type: object
                      required: [to, subject, text]
                      properties:
                        to: { type: string }
                        subject: { type: string }
                        text: { type: string }

                """
        }

        func call(
            _ suite: SuiteHarness, _ capability: String, to: String = "ann@example.com"
        ) async throws -> ToolCallResult {
            try await suite.control(
                ToolCallRequest(
                    capability: capability,
                    arguments: .object([
                        "to": .string(to), "subject": .string("Your order"), "text": .string("It ships today.\n.\nBye"),
                    ]),
                    idempotencyKey: MessageID.random("mail"), executionId: "test"),
                service: "tools", expecting: ToolCallResult.self, timeout: .seconds(30),
                as: SuiteHarness.testOrchestrator)
        }

        static func received(_ file: URL) -> [[String: Any]] {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        @Test func mailIsSentOverStartTLSWithAuthAndDraftsStayHome() async throws {
            let (directory, cert, key) = try TestCertificate.make()
            defer { try? FileManager.default.removeItem(at: directory) }
            let good = directory.appendingPathComponent("password")
            let wrong = directory.appendingPathComponent("wrong-password")
            try Self.password.write(to: good, atomically: true, encoding: .utf8)
            try "not-it".write(to: wrong, atomically: true, encoding: .utf8)
            let inbox = directory.appendingPathComponent("inbox.jsonl")
            let port = try FreePort.next()
            let peer = try await ScriptPeer(
                "smtp_peer", port: port,
                arguments: [
                    "--cert", cert, "--key", key, "--user", "loom-bot", "--password", Self.password, "--out",
                    inbox.path,
                ])
            defer { peer.stop() }
            let metadata = try TestMetadata.withCapabilities(
                Self.capability("email_send", mode: "send", port: port, cert: cert, passwordFile: good.path)
                    + Self.capability(
                        "email_wrong_login", mode: "send", port: port, cert: cert, passwordFile: wrong.path)
                    + Self.capability("email_draft", mode: "draft", port: port, cert: cert, passwordFile: good.path)
                    + Self.capability("email_untrusted", mode: "send", port: port, cert: nil, passwordFile: good.path))
            let suite = try await SuiteHarness(configDirectory: metadata)
            defer { suite.stop() }

            let sent = try await call(suite, "email_send")
            #expect(sent.success, "\(sent)")
            let mails = Self.received(inbox)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail["from"] as? String == "support@loom.example" && mail["to"] as? [String] == ["ann@example.com"])
            let data = mail["data"] as? String ?? ""
            #expect(data.contains("Subject: Your order") && data.contains("It ships today."), "\(data)")
            if case .object(let result)? = sent.result, case .string(let id)? = result["messageId"] {
                #expect(data.contains("Message-ID: \(id)"), "\(data)")
            } else {
                Issue.record("no message id: \(sent)")
            }

            let refused = try await call(suite, "email_wrong_login")
            #expect(!refused.success && refused.code == "smtp_auth_failed" && !refused.retryable, "\(refused)")
            #expect(refused.error?.contains("not-it") == false)

            // A server whose certificate is not trusted gets neither the credentials nor the message.
            let untrusted = try await call(suite, "email_untrusted")
            #expect(!untrusted.success && untrusted.code == "smtp_tls" && !untrusted.retryable, "\(untrusted)")

            let draft = try await call(suite, "email_draft")
            guard case .object(let stored)? = draft.result else {
                Issue.record("no draft: \(draft)")
                return
            }
            #expect(
                stored["mode"] == .string("draft") && stored["draftId"]?.stringValue?.hasPrefix("D-") == true,
                "\(stored)")

            let outsider = try await call(suite, "email_send", to: "someone@evil.org")
            #expect(!outsider.success && outsider.code == "recipient_not_allowed", "\(outsider)")
            #expect(Self.received(inbox).count == 1, "only the one allowed, authenticated message arrived")
            #expect(!suite.log(of: "tools").contains(Self.password))
        }
    }
}
