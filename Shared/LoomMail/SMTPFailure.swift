/// Why an SMTP exchange did not hand the message over, and whether trying again may help.
/// `code` is a stable string (`smtp_535`, `smtp_auth_failed`, `smtp_timeout`, …).
public struct SMTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var detail: String
    public var retryable: Bool

    public init(code: String, detail: String, retryable: Bool) {
        self.code = code
        self.detail = detail
        self.retryable = retryable
    }

    public var description: String { "\(code): \(detail)" }
}
