/// Which process may see a provider's key: the gateway, and no other.
///
/// Launchers (`loom up`, test harnesses) pass every service the environment this gives it, so
/// a key exported in the operator's shell reaches the gateway's process and nothing else.
public enum CredentialScope {
    public static let gateway = "gateway"

    /// The environment variables that hold provider keys.
    public static func providerKeyVariables(_ metadata: LoomMetadata) -> Set<String> {
        Set(metadata.providers.values.compactMap { $0.apiKey?.environmentVariable })
    }

    /// `environment` as `service` may see it: without provider keys unless it is the gateway.
    public static func environment(_ environment: [String: String], for service: String, metadata: LoomMetadata) -> [String: String] {
        guard service != gateway else { return environment }
        let keys = providerKeyVariables(metadata)
        return environment.filter { !keys.contains($0.key) }
    }
}
