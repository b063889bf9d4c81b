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

    func outcome<T: Codable>(_ data: Data, _ decode: (Data) throws -> T) -> String {
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
        let alphabet =
            Array(#"{}[]":,\/ -+.0123456789eEtrufalsn"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF, 0xED, 0x75]
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
            // Through a tree type that visits keys in sorted order, both report the same first error.
            let expected = outcome(data) { try foundationDecoder.decode(OrderedTree.self, from: $0) }
            let actual = outcome(data) { try wireDecoder.decode(OrderedTree.self, from: $0) }
            #expect(actual == expected, "round \(round): \(String(decoding: data, as: UTF8.self))")
            // JSONValue visits an object's keys in Dictionary order, which Foundation draws anew
            // in every process: with two bad values it may name either. Whether it reads, and
            // what, is fixed.
            let json = outcome(data) { try foundationDecoder.decode(JSONValue.self, from: $0) }
            let wireJSON = outcome(data) { try wireDecoder.decode(JSONValue.self, from: $0) }
            #expect(json.hasPrefix("value ") == wireJSON.hasPrefix("value "), "round \(round)")
            if json.hasPrefix("value ") { #expect(json == wireJSON, "round \(round)") }
            if !expected.hasPrefix("value") { refused += 1 }
        }
        // The damage must have produced both kinds, or the comparison above proved little.
        #expect(refused > 300 && refused < 2700, "\(refused) of 3000 refused")
    }
}

/// JSONValue's decoding, but with an object's keys visited in sorted order, so the first bad
/// value is the same one whatever order a decoder keeps keys in.
indirect enum OrderedTree: Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([OrderedTree])
    case object([String: OrderedTree])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Double.self) {
            self = .number(value)
        } else if let value = try? single.decode(String.self) {
            self = .string(value)
        } else if let value = try? single.decode([OrderedTree].self) {
            self = .array(value)
        } else {
            let container = try decoder.container(keyedBy: AnyKey.self)
            var members: [String: OrderedTree] = [:]
            for key in container.allKeys.sorted(by: {
                $0.stringValue.utf8.lexicographicallyPrecedes($1.stringValue.utf8)
            }) {
                members[key.stringValue] = try container.decode(OrderedTree.self, forKey: key)
            }
            self = .object(members)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let value): try single.encode(value)
        case .number(let value): try single.encode(value)
        case .string(let value): try single.encode(value)
        case .array(let value): try single.encode(value)
        case .object(let value): try single.encode(value)
        }
    }
}
