import Foundation
import CZeroMQ

/// A CURVE long-term key pair as 40-character Z85 text, the form libzmq takes and key files hold.
public struct CurveKeyPair: Sendable, Equatable {
    public let publicKey: String
    public let secretKey: String

    /// A fresh key pair from libsodium's random source.
    public static func generate() throws(BusSecurityError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
            throw .unavailable("libzmq cannot make CURVE keys (built without libsodium?)")
        }
        return CurveKeyPair(publicKey: Self.text(publicKey), secretKey: Self.text(secretKey))
    }

    /// The pair whose secret half is `secretKey` (Z85); the public half is derived, so a key
    /// file holds one line and cannot disagree with itself.
    public init(secretKey: String) throws(BusSecurityError) {
        let trimmed = secretKey.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.isZ85Key(trimmed) else { throw .badKey("a CURVE secret key is 40 characters of Z85 text") }
        var publicKey = [CChar](repeating: 0, count: 41)
        let rc = trimmed.withCString { zmq_curve_public(&publicKey, $0) }
        guard rc == 0 else { throw .badKey("not a CURVE secret key") }
        self.init(publicKey: Self.text(publicKey), secretKey: trimmed)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    static let z85Alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")

    public static func isZ85Key(_ text: String) -> Bool {
        text.count == 40 && text.allSatisfy { z85Alphabet.contains($0) }
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

public enum BusSecurityError: Error, Sendable, CustomStringConvertible {
    case unavailable(String)
    case badKey(String)
    case badRoster(line: Int, String)
    case missing(String)

    public var description: String {
        switch self {
        case .unavailable(let detail), .badKey(let detail), .missing(let detail): detail
        case .badRoster(let line, let detail): "roster line \(line): \(detail)"
        }
    }
}
