import Foundation
import LoomContract

/// The admin-owned settings of a standard `send_email` capability: the sender, who may be
/// written to, and the SMTP server with its credentials (`env:`/`file:`, read by the tools
/// service alone). `mode: draft` composes and stores the message without sending it.
public struct EmailBackend: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable { case draft, send }
    public enum Security: String, Sendable, Codable, CaseIterable { case starttls, plain }

    public struct SMTP: Sendable, Codable, Equatable {
        public var host: String
        public var port: Int
        /// `starttls` (the default) upgrades before anything else is said; `plain` is for a relay
        /// on a trusted network and never carries credentials.
        public var security: Security
        /// A PEM file of the certificates to trust instead of the system's.
        public var caFile: String?
        public var username: SecretReference?
        public var password: SecretReference?
        public var timeoutSeconds: Double

        enum CodingKeys: String, CodingKey { case host, port, security, caFile, username, password, timeoutSeconds }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            host = try c.decode(String.self, forKey: .host)
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 587
            security = try c.decodeIfPresent(Security.self, forKey: .security) ?? .starttls
            caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
            username = try c.decodeIfPresent(SecretReference.self, forKey: .username)
            password = try c.decodeIfPresent(SecretReference.self, forKey: .password)
            timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 20
        }
    }

    public var mode: Mode
    public var from: String
    /// Domains (`example.com`) and addresses (`ops@partner.org`) the model may write to.
    public var allowedRecipients: [String]
    public var maxRecipients: Int
    public var maxBodyBytes: Int
    public var smtp: SMTP?

    enum CodingKeys: String, CodingKey { case mode, from, allowedRecipients, maxRecipients, maxBodyBytes, smtp }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .draft
        from = try c.decode(String.self, forKey: .from)
        allowedRecipients = try c.decodeIfPresent([String].self, forKey: .allowedRecipients) ?? []
        maxRecipients = try c.decodeIfPresent(Int.self, forKey: .maxRecipients) ?? 10
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? 64 * 1024
        smtp = try c.decodeIfPresent(SMTP.self, forKey: .smtp)
    }

    /// Reads a capability's `backend` map.
    public init(backend: [String: JSONValue]) throws {
        self = try JSONDecoder().decode(Self.self, from: try JSONEncoder().encode(JSONValue.object(backend)))
    }

    public var secrets: [SecretReference] { [smtp?.username, smtp?.password].compactMap { $0 } }

    /// What is wrong with these settings, for the config check (empty when they can run).
    public var problems: [String] {
        var problems: [String] = []
        if MailAddress(from) == nil { problems.append("from must be one plain address (name@domain)") }
        if allowedRecipients.isEmpty {
            problems.append("allowedRecipients must name the domains or addresses the model may write to")
        }
        for entry in allowedRecipients where MailAddress(entry) == nil && !MailAddress.isDomain(entry) {
            problems.append("'\(entry)' in allowedRecipients is neither an address nor a domain")
        }
        if !(1...100).contains(maxRecipients) { problems.append("maxRecipients must be between 1 and 100") }
        if !(1...(1 << 20)).contains(maxBodyBytes) { problems.append("maxBodyBytes must be between 1 and 1 MiB") }
        guard let smtp else {
            if mode == .send { problems.append("mode send needs smtp: { host, … }") }
            return problems
        }
        if smtp.host.isEmpty { problems.append("smtp.host is empty") }
        if !(1...65_535).contains(smtp.port) { problems.append("smtp.port must be between 1 and 65535") }
        if (smtp.username == nil) != (smtp.password == nil) {
            problems.append("smtp.username and smtp.password go together")
        }
        if smtp.password != nil && smtp.security == .plain {
            problems.append("credentials are sent over STARTTLS only")
        }
        if let password = smtp.password, !password.isIndirect {
            problems.append("smtp.password must be env:NAME or file:/path")
        }
        if let caFile = smtp.caFile, !caFile.hasPrefix("/") { problems.append("smtp.caFile must be an absolute path") }
        if !(smtp.timeoutSeconds > 0 && smtp.timeoutSeconds <= 300) {
            problems.append("smtp.timeoutSeconds must be in (0, 300]")
        }
        return problems
    }
}

/// A plain mail address (`local@domain`): no display name, comments, spaces, angle brackets or
/// control characters, so it can stand in a header or SMTP command as it is.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public var local: String
    public var domain: String

    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, text.count <= 254,
            Self.isDomain(String(parts[1]))
        else {
            return nil
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~."))
        guard parts[0].unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else { return nil }
        local = String(parts[0])
        domain = String(parts[1]).lowercased()
    }

    /// A DNS name of labels of letters, digits and '-'.
    public static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 1 && text.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-")
                    }
            }
    }

    public var description: String { "\(local)@\(domain)" }
}
