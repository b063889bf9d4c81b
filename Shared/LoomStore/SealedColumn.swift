import Crypto
import Foundation

/// Seals one column's values at rest (AES-256-GCM) with a service's data key, each value bound
/// to its row's identity (a message id, an idempotency key) as associated data, so a sealed
/// value copied into another row does not open.
///
/// Sealed values are text, `sealed:v1:` and the base64 of nonce, ciphertext and tag, so they
/// fit the TEXT columns they replace. Trust's vault has its own cipher and format.
public struct SealedColumn: Sendable {
    public static let prefix = "sealed:v1:"
    // Raw key bytes: SymmetricKey is not Sendable; a key is rebuilt per use.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public struct SealError: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter key: 32 bytes.
    public init(key: Data) throws {
        guard key.count == 32 else {
            throw SealError(description: "a data key must be 32 bytes (base64 or 64 hex digits)")
        }
        keyBytes = key
    }

    /// A fresh random 32-byte key.
    public static func generateKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// A key for another purpose (keyed digests), derived from the data key so that it needs no
    /// storage of its own and changes with it.
    public func derivedKey(for purpose: String) -> Data {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    /// Whether `stored` is a sealed value (rather than a marker or a value from before sealing).
    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    public func seal(_ text: String, boundTo identity: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: key, authenticating: Self.associatedData(identity))
        guard let combined = box.combined else { throw SealError(description: "AES-GCM produced no combined box") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The text sealed for `identity`; throws when the value was sealed for another row, with
    /// another key, or was altered.
    public func open(_ stored: String, boundTo identity: String) throws -> String {
        guard Self.isSealed(stored), let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count)))
        else {
            throw SealError(description: "not a sealed value")
        }
        let box = try AES.GCM.SealedBox(combined: combined)
        let plain = try AES.GCM.open(box, using: key, authenticating: Self.associatedData(identity))
        return String(decoding: plain, as: UTF8.self)
    }

    /// A stored value as readers see it: sealed values opened, anything else (a retention
    /// marker) as it is.
    public func reveal(_ stored: String, boundTo identity: String) throws -> String {
        Self.isSealed(stored) ? try open(stored, boundTo: identity) : stored
    }

    /// Binary values (custody payloads): `LSv1`, then nonce, ciphertext and tag.
    public static let binaryMagic = Data("LSv1".utf8)

    public func seal(data: Data, boundTo identity: String) throws -> Data {
        let box = try AES.GCM.seal(data, using: key, authenticating: Self.associatedData(identity))
        guard let combined = box.combined else { throw SealError(description: "AES-GCM produced no combined box") }
        return Self.binaryMagic + combined
    }

    /// The bytes sealed for `identity`; bytes without the magic (written before sealing) as they are.
    public func reveal(data: Data, boundTo identity: String) throws -> Data {
        guard data.starts(with: Self.binaryMagic) else { return data }
        let box = try AES.GCM.SealedBox(combined: data.dropFirst(Self.binaryMagic.count))
        return try AES.GCM.open(box, using: key, authenticating: Self.associatedData(identity))
    }

    static func associatedData(_ identity: String) -> Data { Data("loom-sealed-v1\u{1F}\(identity)".utf8) }

    /// A key written as base64 or 64 hex digits.
    public static func decodeKey(_ text: String) -> Data? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            var bytes = Data()
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                let next = trimmed.index(index, offsetBy: 2)
                guard let byte = UInt8(trimmed[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        guard let data = Data(base64Encoded: trimmed), data.count == 32 else { return nil }
        return data
    }
}
