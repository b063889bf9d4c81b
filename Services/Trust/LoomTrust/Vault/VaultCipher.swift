import Crypto
import Foundation
import LoomContract
import LoomConfig
import LoomStore
import Logging

/// Encrypts the vault's originals at rest (AES-256-GCM) and fingerprints them for lookup
/// (HMAC-SHA256), with two keys derived (HKDF) from one master key the operator provides.
///
/// The fingerprint lets the vault find "the token for this e-mail in this session" without
/// storing the e-mail in the clear; the sealed box is what unmasking opens.
struct VaultCipher: Sendable {
    // Raw key bytes: SymmetricKey is not Sendable; a key is rebuilt per use.
    private let sealingKey: Data
    private let lookupKey: Data
    private var sealing: SymmetricKey { SymmetricKey(data: sealingKey) }
    private var lookup: SymmetricKey { SymmetricKey(data: lookupKey) }

    struct KeyError: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter masterKey: 32 bytes.
    init(masterKey: Data) throws {
        guard masterKey.count == 32 else { throw KeyError(description: "the vault key must be 32 bytes (base64 or 64 hex digits)") }
        let master = SymmetricKey(data: masterKey)
        sealingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("loom-vault-seal".utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
        lookupKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("loom-vault-lookup".utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    /// Seals `text` bound to its place in the vault: the (scope, token) pair is the box's
    /// associated data, so a box copied into another scope's row no longer opens.
    func seal(_ text: String, scope: String, token: String) throws -> Data {
        let bound = Self.associatedData(scope: scope, token: token)
        guard let combined = try AES.GCM.seal(Data(text.utf8), using: sealing, authenticating: bound).combined else {
            throw KeyError(description: "AES-GCM produced no combined box")
        }
        return combined
    }

    func open(_ box: Data, scope: String, token: String) throws -> String {
        let bound = Self.associatedData(scope: scope, token: token)
        return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: sealing, authenticating: bound), as: UTF8.self)
    }

    /// Boxes sealed before they were bound to their row; only the one-time rebinding reads them.
    func openUnbound(_ box: Data) throws -> String {
        String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: sealing), as: UTF8.self)
    }

    static func associatedData(scope: String, token: String) -> Data {
        Data("loom-vault\u{1F}\(scope)\u{1F}\(token)".utf8)
    }

    func fingerprint(scope: String, kind: String, original: String) -> String {
        let message = Data("\(scope)\u{1F}\(kind)\u{1F}\(original)".utf8)
        return Hex.string(HMAC<SHA256>.authenticationCode(for: message, using: lookup))
    }

    /// The operator's key from `reference` (`env:NAME` or `file:/path`, base64 or hex). With
    /// none configured, a key is generated once beside the data (mode 0600) and a warning
    /// says that production should provide its own.
    static func load(reference: SecretReference?, dataDirectory: URL, logger: Logger) throws -> VaultCipher {
        if let reference {
            guard let text = reference.resolve() else { throw KeyError(description: "the vault key \(reference) is missing or empty") }
            guard let key = decode(text) else { throw KeyError(description: "the vault key \(reference) is not 32 bytes of base64 or hex") }
            return try VaultCipher(masterKey: key)
        }
        let file = dataDirectory.appendingPathComponent("trust-vault.key")
        // An existing key that cannot be read is an error, never a reason to make a new one:
        // a new key would leave everything sealed with the old one unreadable.
        if FileManager.default.fileExists(atPath: file.path) {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let key = decode(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw KeyError(description: "\(file.path) does not hold a 32-byte key")
            }
            return try VaultCipher(masterKey: key)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(key.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        else { throw KeyError(description: "cannot write \(file.path)") }
        logger.warning("no vault key configured (trust.yaml vaultKey); generated one at \(file.path) — provide your own in production")
        return try VaultCipher(masterKey: key)
    }

    /// Base64 or 64 hex digits, as every data key of the suite is written.
    static func decode(_ text: String) -> Data? { SealedColumn.decodeKey(text) }
}
