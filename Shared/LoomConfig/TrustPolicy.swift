/// The trust layer's own settings (`trust.yaml`, optional): the vault key and detectors of
/// personal data beyond the built-in ones.
public struct TrustPolicy: Sendable, Codable, Equatable {
    /// The 32-byte key (base64 or hex) that seals the vault: `env:NAME` or `file:/path`. Without
    /// one, the trust service generates a key beside its data and warns.
    public var vaultKey: SecretReference?
    public var piiPatterns: [PIIPattern]
    /// Principals, roles and what they grant.
    public var access: AccessPolicy
    /// Approval routes, approver groups and expiry for capabilities that need approval.
    public var approvals: ApprovalPolicy

    public init(
        vaultKey: SecretReference? = nil, piiPatterns: [PIIPattern] = [], access: AccessPolicy = AccessPolicy(), approvals: ApprovalPolicy = ApprovalPolicy()
    ) {
        self.vaultKey = vaultKey
        self.piiPatterns = piiPatterns
        self.access = access
        self.approvals = approvals
    }

    enum CodingKeys: String, CodingKey { case vaultKey, piiPatterns, access, approvals }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vaultKey = try c.decodeIfPresent(SecretReference.self, forKey: .vaultKey)
        piiPatterns = try c.decodeIfPresent([PIIPattern].self, forKey: .piiPatterns) ?? []
        access = try c.decodeIfPresent(AccessPolicy.self, forKey: .access) ?? AccessPolicy()
        approvals = try c.decodeIfPresent(ApprovalPolicy.self, forKey: .approvals) ?? ApprovalPolicy()
    }
}

/// A custom detector: text matching `pattern` becomes `[NAME_n]`.
public struct PIIPattern: Sendable, Codable, Equatable {
    /// Upper-case letters, digits and `_`; the token kind.
    public var name: String
    /// A regular expression (ICU syntax).
    public var pattern: String

    public init(name: String, pattern: String) {
        self.name = name
        self.pattern = pattern
    }
}
