import Foundation
import Testing

@testable import LoomContract

/// Encodes `value` with Foundation's configured encoder and the wire's, and expects the same
/// bytes, printing both texts when they differ.
func expectWireBytesMatchFoundation<T: Encodable>(
    _ value: T, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let expected = try WireCodec.makeEncoder().encode(value)
    let actual = try WireJSONEncoder().encode(value)
    let wireText = String(decoding: actual, as: UTF8.self)
    let foundationText = String(decoding: expected, as: UTF8.self)
    #expect(
        actual == expected, "\nwire:       \(wireText)\nfoundation: \(foundationText)",
        sourceLocation: sourceLocation)
}
