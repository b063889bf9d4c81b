import Foundation
import Testing

@testable import LoomContract

/// Seeded random JSON trees, and random damage to their text: the wire's coders and
/// Foundation's must agree on every one.
@Suite struct WireJSONPropertyTests {
    let foundationEncoder = WireCodec.makeEncoder()
    let foundationDecoder = WireCodec.makeDecoder()
    let wireEncoder = WireJSONEncoder()
    let wireDecoder = WireJSONDecoder()

    func outcome(_ data: Data, _ decode: (Data) throws -> JSONValue) -> String {
        do {
            return "value " + String(decoding: try foundationEncoder.encode(try decode(data)), as: UTF8.self)
        } catch {
            return describeDecoding(error)
        }
    }

    @Test func randomTreesEncodeIdenticallyAndRoundTrip() throws {
        var random = SeededRandom(seed: 20_261_208)
        for _ in 0..<1500 {
            let tree = WireSamples.jsonValue(depth: Int.random(in: 0...6, using: &random), &random)
            let expected = try foundationEncoder.encode(tree)
            let actual = try wireEncoder.encode(tree)
            #expect(actual == expected, "\(String(decoding: expected, as: UTF8.self))")
            #expect(try wireDecoder.decode(JSONValue.self, from: actual) == tree)
            #expect(try foundationDecoder.decode(JSONValue.self, from: actual) == tree)
        }
    }

    @Test func damagedTextIsReadOrRefusedAlike() throws {
        var random = SeededRandom(seed: 8_128)
        var refused = 0
        let alphabet = Array(#"{}[]":,\/ -+.0123456789eEtrufalsn"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF, 0xED, 0x75]
        for round in 0..<3000 {
            let tree = WireSamples.jsonValue(depth: 3, &random)
            var bytes = Array(try wireEncoder.encode(tree))
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                let byte = alphabet.randomElement(using: &random) ?? 0
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where position < bytes.count: bytes[position] = byte
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: bytes.insert(byte, at: position)
                }
            }
            let data = Data(bytes)
            let expected = outcome(data) { try foundationDecoder.decode(JSONValue.self, from: $0) }
            let actual = outcome(data) { try wireDecoder.decode(JSONValue.self, from: $0) }
            #expect(actual == expected, "round \(round): \(String(decoding: data, as: UTF8.self))")
            if !expected.hasPrefix("value") { refused += 1 }
        }
        // The damage must have produced both kinds, or the comparison above proved little.
        #expect(refused > 300 && refused < 2700, "\(refused) of 3000 refused")
    }
}
