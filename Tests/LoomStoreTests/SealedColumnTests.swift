import Foundation
import LoomStore
import Testing

/// Sealed columns: values open only with their key and for the row they were sealed for.
@Suite struct SealedColumnTests {
    let column: SealedColumn

    init() throws { column = try SealedColumn(key: SealedColumn.generateKey()) }

    @Test func aSealedValueOpensForItsRowAndHoldsNoPlaintext() throws {
        let text = "I'm ana@example.com, card 4111 1111 1111 1111"
        let sealed = try column.seal(text, boundTo: "message:msg-1")
        #expect(SealedColumn.isSealed(sealed))
        #expect(!sealed.contains("ana@example.com") && !sealed.contains("4111"))
        #expect(try column.open(sealed, boundTo: "message:msg-1") == text)
        #expect(try column.reveal(sealed, boundTo: "message:msg-1") == text)
        // Two seals of one text differ (fresh nonce), so equal bodies are not visible as equal.
        #expect(try column.seal(text, boundTo: "message:msg-1") != sealed)
    }

    @Test func aValueMovedToAnotherRowOrOpenedWithAnotherKeyFails() throws {
        let sealed = try column.seal("secret", boundTo: "message:msg-1")
        #expect(throws: (any Error).self) { try column.open(sealed, boundTo: "message:msg-2") }
        let other = try SealedColumn(key: SealedColumn.generateKey())
        #expect(throws: (any Error).self) { try other.open(sealed, boundTo: "message:msg-1") }
        // One character of the ciphertext changed (in the middle: the last ones may be padding bits).
        var tampered = Array(sealed)
        let middle = SealedColumn.prefix.count + (tampered.count - SealedColumn.prefix.count) / 2
        tampered[middle] = tampered[middle] == "A" ? "B" : "A"
        #expect(throws: (any Error).self) { try column.open(String(tampered), boundTo: "message:msg-1") }
        #expect(throws: (any Error).self) { try column.open("plain text", boundTo: "message:msg-1") }
    }

    @Test func markersAndKeysAreReadAsTheyAre() throws {
        let marker = "[removed after the retention period]"
        #expect(try column.reveal(marker, boundTo: "x") == marker)
        #expect(throws: (any Error).self) { try SealedColumn(key: Data(count: 16)) }
        let key = SealedColumn.generateKey()
        #expect(SealedColumn.decodeKey(key.base64EncodedString()) == key)
        #expect(SealedColumn.decodeKey(key.map { String(format: "%02x", $0) }.joined()) == key)
        #expect(SealedColumn.decodeKey("too short") == nil)
    }
}
