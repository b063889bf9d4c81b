import Foundation

/// Secrets the metadata names by `env:` or `file:` that do not resolve here: a channel whose
/// signing secret is unset would otherwise pass the config check and answer its first webhook
/// with 503 `secret_missing`. Warnings, not errors: the check often runs where the secrets are not.
public enum SecretCheck {
    public struct Unresolved: Sendable, Equatable, CustomStringConvertible {
        /// The metadata file, e.g. `endpoints.yaml`.
        public var file: String
        /// The key path, e.g. `endpoints.slack.signingSecret`.
        public var key: String
        public var reference: String

        public var description: String {
            let what = reference.hasPrefix("env:")
                ? "the variable \(reference.dropFirst(4)) is not set" : "the file \(reference.dropFirst(5)) is missing or empty"
            return "\(file): \(key): \(what) (\(reference))"
        }
    }

    public static func unresolved(
        _ metadata: LoomMetadata, layout: SuiteLayout, environment: [String: String]
    ) -> [Unresolved] {
        named(metadata, layout: layout).compactMap { file, key, reference in
            guard reference.isIndirect, reference.resolve(environment: environment) == nil else { return nil }
            return Unresolved(file: file, key: key, reference: reference.reference)
        }
    }

    /// Every secret reference the metadata and suite settings hold, with the file and key that
    /// name it: the one list the config check and the tool sandbox's hidden paths both read.
    static func named(
        _ metadata: LoomMetadata, layout: SuiteLayout
    ) -> [(file: String, key: String, reference: SecretReference)] {
        var named: [(file: String, key: String, reference: SecretReference)] = []
        for (name, provider) in metadata.providers.sorted(by: { $0.key < $1.key }) {
            if let key = provider.apiKey { named.append(("providers.yaml", "providers.\(name).apiKey", key)) }
        }
        for (name, endpoint) in metadata.endpoints.sorted(by: { $0.key < $1.key }) {
            for (field, reference) in endpoint.secretReferences {
                named.append(("endpoints.yaml", "endpoints.\(name).\(field)", reference))
            }
        }
        for (index, client) in metadata.clients.enumerated() {
            named.append(("clients.yaml", "clients.\(index).token (\(client.name))", client.token))
        }
        for (group, approvers) in metadata.trust.approvals.approvers.sorted(by: { $0.key < $1.key }) {
            for (index, token) in approvers.tokens.enumerated() {
                named.append(("trust.yaml", "approvals.approvers.\(group).tokens.\(index)", token))
            }
        }
        if let vault = metadata.trust.vaultKey { named.append(("trust.yaml", "vaultKey", vault)) }
        if let roster = layout.busSecurity.roster { named.append(("suite.yaml", "bus.roster", roster)) }
        if let key = layout.busSecurity.secretKey { named.append(("suite.yaml", "bus.secretKey", key)) }
        for (service, key) in layout.dataKeys.sorted(by: { $0.key < $1.key }) {
            named.append(("suite.yaml", "dataKeys.\(service)", key))
        }
        return named
    }
}
