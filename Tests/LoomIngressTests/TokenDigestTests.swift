import Foundation
import Testing

@testable import LoomIngress

/// Tokens are kept as SHA-256 digests and compared byte by byte in full.
@Suite struct TokenDigestTests {
    @Test func aDigestIsTheTokensSHA256() {
        // SHA-256("abc"), from FIPS 180-2.
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(TokenDigest(of: "abc").bytes.map { String(format: "%02x", $0) }.joined() == expected)
    }

    @Test func onlyTheSameTokenMatches() {
        let stored = TokenDigest(of: "correct-horse")
        #expect(stored.matches(TokenDigest(of: "correct-horse")))
        #expect(!stored.matches(TokenDigest(of: "correct-hors")))
        #expect(!stored.matches(TokenDigest(of: "Correct-horse")))
        #expect(!stored.matches(TokenDigest(of: "")))
    }

    @Test func digestsOfAnotherLengthNeverMatch() {
        let stored = TokenDigest(of: "x")
        #expect(!stored.matches(TokenDigest(bytes: Array(stored.bytes.prefix(16)))))
        #expect(!stored.matches(TokenDigest(bytes: [])))
    }
}
