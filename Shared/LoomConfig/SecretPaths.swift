import Foundation
import LoomContract

/// Every place on disk where the suite keeps something a tool must not read: the data
/// directory, the bus keys directory, and each file a secret reference reads, in the metadata
/// (providers, channels, clients, approvers, the vault key, capability backends) or the suite
/// settings (data keys, the roster, a bus secret key).
public enum SecretPaths {
    public static func all(_ metadata: LoomMetadata, layout: SuiteLayout) -> [String] {
        var paths = [layout.dataDirectory, layout.busSecurity.keysDirectory(dataDirectory: layout.dataDirectory).path]
        paths += SecretCheck.named(metadata, layout: layout).compactMap(\.reference.filePath)
        // Callout and e-mail credentials (also those inside `${file:…}` header templates), and any
        // other backend value that is a `file:` reference.
        paths += metadata.capabilities.values.flatMap { capability in
            capability.secretReferences.compactMap(\.filePath) + capability.backend.values.flatMap(Self.filePaths)
        }
        return Array(Set(paths.map(absolute))).sorted()
    }

    /// `file:` references anywhere in a backend value (header templates, credentials).
    static func filePaths(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): text.hasPrefix("file:") ? [String(text.dropFirst(5))] : []
        case .array(let items): items.flatMap(filePaths)
        case .object(let fields): fields.values.flatMap(filePaths)
        default: []
        }
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }
}
