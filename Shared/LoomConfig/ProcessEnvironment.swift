/// The environment each service process starts with, built from an allow-list: a small base
/// every process needs, plus the secrets of that service and of no other.
///
/// Launchers (`loom up`, the test harness) give each child only what
/// ``allowed(for:from:metadata:layout:)`` returns, so a key exported in the operator's shell
/// reaches the one process that uses it: provider keys the gateway, channel secrets the
/// ingress, the vault key and approver tokens trust, each data key its own service. Anything
/// else (an unrelated `AWS_SECRET_ACCESS_KEY`) reaches no service.
public enum ProcessEnvironment {
    public static let gateway = "gateway"

    /// Variables every process gets: how to find programs and libraries, locale, time zone,
    /// temporary files, certificates.
    public static let baseNames: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM", "LD_LIBRARY_PATH",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "SWIFT_BACKTRACE",
    ]
    /// Prefixes of base variables: locale categories and the suite's own settings (`LOOM_*`),
    /// less any `LOOM_` variable that is another service's secret.
    public static let basePrefixes = ["LC_", "LOOM_"]

    /// Provider key variables the gateway's adapters are commonly given, kept from every other
    /// process even when no provider in the metadata names them.
    public static let wellKnownProviderKeys: Set<String> = [
        "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_API_KEY", "GEMINI_API_KEY",
        "GOOGLE_API_KEY", "MISTRAL_API_KEY", "GROQ_API_KEY", "OPENROUTER_API_KEY", "COHERE_API_KEY",
        "TOGETHER_API_KEY", "DEEPSEEK_API_KEY", "XAI_API_KEY", "HF_TOKEN",
    ]
    /// The vault key variable the sample `trust.yaml` suggests; trust's even while commented out.
    public static let wellKnownVaultKeys: Set<String> = ["LOOM_VAULT_KEY"]
    /// Outbound proxies may carry credentials: only the processes that call out get them.
    static let proxyNames: Set<String> = [
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    ]
    static let callsOut: Set<String> = ["gateway", "ingress"]

    /// The secret variables each service owns, by service name.
    public static func secretVariables(
        _ metadata: LoomMetadata, layout: SuiteLayout = SuiteLayout()
    ) -> [String: Set<String>] {
        var owned: [String: Set<String>] = [:]
        let providerKeys = metadata.providers.values.compactMap { $0.apiKey?.environmentVariable }
        owned[gateway] = wellKnownProviderKeys.union(providerKeys)
        let channelSecrets = metadata.endpoints.values.flatMap { $0.secretReferences.map(\.reference) }
        // The ingress checks HTTP bearer tokens: the clients' and the operator token `loom up` makes.
        let clientTokens = metadata.clients.compactMap(\.token.environmentVariable)
        // Approver tokens too: the ingress admits approvers, trust decides what each may see.
        let approverTokens = metadata.trust.approvals.approvers.values.flatMap(\.tokens).compactMap(\.environmentVariable)
        owned["ingress"] = Set(
            channelSecrets.compactMap(\.environmentVariable) + clientTokens + approverTokens + ["LOOM_OPERATOR_TOKEN"])
        var trust = wellKnownVaultKeys
        if let name = metadata.trust.vaultKey?.environmentVariable { trust.insert(name) }
        trust.formUnion(approverTokens)
        owned["trust"] = trust
        // Credentials of callouts and e-mail actions: read by tools alone.
        owned["tools", default: []].formUnion(metadata.capabilities.values.flatMap(\.secretReferences).compactMap(\.environmentVariable))
        // Variables an MCP server is given (`stdio.environment`) reach the tools service, which
        // passes each only into that server's sandbox.
        owned["tools", default: []].formUnion(metadata.mcpServers.values.compactMap(\.stdio).flatMap(\.environment))
        for service in SuiteLayout.services + ["ingress"] {
            guard let name = layout.dataKey(of: service).environmentVariable else { continue }
            owned[service, default: []].insert(name)
        }
        return owned
    }

    /// `environment` as `service` may see it (an `ingress-N` instance counts as the ingress).
    public static func allowed(
        for service: String, from environment: [String: String], metadata: LoomMetadata,
        layout: SuiteLayout = SuiteLayout()
    ) -> [String: String] {
        let role = role(of: service)
        let own = secretVariables(metadata, layout: layout)[role] ?? []
        let foreign = foreignSecrets(for: role, metadata: metadata, layout: layout)
        return environment.filter { name, _ in
            if own.contains(name) { return true }
            if foreign.contains(name) { return false }
            if proxyNames.contains(name) { return callsOut.contains(role) }
            return baseNames.contains(name) || basePrefixes.contains { name.hasPrefix($0) }
        }
    }

    /// Secret variables of other services: what a process started with more than it needs
    /// drops at start-up.
    public static func foreignSecrets(
        for service: String, metadata: LoomMetadata, layout: SuiteLayout = SuiteLayout()
    ) -> Set<String> {
        let role = role(of: service)
        let owned = secretVariables(metadata, layout: layout)
        let own = owned[role] ?? []
        return owned.filter { $0.key != role }.values.reduce(into: Set<String>()) { $0.formUnion($1) }.subtracting(own)
    }

    static func role(of service: String) -> String { service.hasPrefix("ingress-") ? "ingress" : service }
}
