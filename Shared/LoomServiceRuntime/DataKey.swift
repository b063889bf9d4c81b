import Foundation
import LoomConfig
import LoomStore
import Logging

/// The key that seals a service's personal data at rest: the one `suite.yaml` names under
/// `dataKeys`, else `LOOM_<SERVICE>_DATA_KEY`, else one generated on first start into the
/// service's own folder (mode 0600) and read from there afterwards.
public enum DataKey {
    public static let fileName = "data.key"

    public static func load(
        for environment: ServiceEnvironment, variables: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SealedColumn {
        let service = environment.service
        let reference = environment.layout.dataKey(of: service)
        if let text = reference.resolve(environment: variables) {
            guard let key = SealedColumn.decodeKey(text) else {
                throw DataDirectoryError(description: "the data key \(reference) is not 32 bytes of base64 or hex")
            }
            return try SealedColumn(key: key)
        }
        if environment.layout.dataKeyIsConfigured(for: service) {
            throw DataDirectoryError(
                description: "the data key \(reference) (suite.yaml dataKeys.\(service)) is missing or empty")
        }
        let file = environment.dataDirectory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: file.path) {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let key = SealedColumn.decodeKey(text) else {
                throw DataDirectoryError(description: "\(file.path) does not hold a 32-byte key")
            }
            return try SealedColumn(key: key)
        }
        let key = SealedColumn.generateKey()
        try ServiceDataDirectory.createPrivateFile(at: file, contents: Data(key.base64EncodedString().utf8))
        environment.logger.notice(
            "generated a data key at \(file.path); set \(reference) or suite.yaml dataKeys.\(service) to provide one")
        return try SealedColumn(key: key)
    }
}
