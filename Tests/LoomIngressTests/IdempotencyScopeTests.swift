import Foundation
import Testing

@testable import LoomIngress

/// `Idempotency-Key`: scoped to the caller and bounded in length.
@Suite struct IdempotencyScopeTests {
    @Test func keysAreScopedToTheirCaller() throws {
        #expect(try IdempotencyScope.scoped("k-1", principal: "token:shop") == "token:shop:k-1")
        #expect(try IdempotencyScope.scoped("k-1", principal: nil) == "anonymous:k-1")
        let a = try IdempotencyScope.scoped("k-1", principal: "token:a")
        #expect(try a != IdempotencyScope.scoped("k-1", principal: "token:b"))
        #expect(try IdempotencyScope.scoped(nil, principal: "token:shop") == nil)
    }

    @Test func keysLongerThan255BytesAreRefused() throws {
        #expect(try IdempotencyScope.scoped(String(repeating: "a", count: 255), principal: nil) != nil)
        let tooLong = String(repeating: "a", count: 256)
        #expect(throws: Problem.self) { try IdempotencyScope.scoped(tooLong, principal: nil) }
        // Bytes, not characters: 128 two-byte characters are 256 bytes.
        do {
            _ = try IdempotencyScope.scoped(String(repeating: "é", count: 128), principal: nil)
            Issue.record("a 256-byte key was accepted")
        } catch {
            #expect(error.status == 400 && error.code == "idempotency_key_too_long")
        }
    }
}
