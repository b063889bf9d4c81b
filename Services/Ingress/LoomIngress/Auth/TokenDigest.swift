import Crypto
import Foundation

/// A bearer token as the ingress keeps it: its SHA-256. Presented tokens are hashed the same
/// way and compared in constant time, so how long a comparison takes says nothing about how
/// much of a token matched.
struct TokenDigest: Sendable {
    let bytes: [UInt8]

    init(of token: String) {
        bytes = Array(SHA256.hash(data: Data(token.utf8)))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Every byte is compared, whatever the first difference.
    func matches(_ other: TokenDigest) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(bytes, other.bytes) { difference |= a ^ b }
        return difference == 0
    }
}
