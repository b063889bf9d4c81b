import Foundation
import Testing

@testable import LoomContract

/// The wire's encoder against Foundation's configured one: every byte must match.
@Suite struct WireJSONEncoderTests {
    let foundation = WireCodec.makeEncoder()
    let wire = WireJSONEncoder()

    func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectWireBytesMatchFoundation(value, sourceLocation: sourceLocation)
    }

    func sample<T: Decodable>(_ type: T.Type, seed: UInt64, optionalsPresent: Bool = true) throws -> T {
        try WireSampleDecoder.make(type, seed: seed, optionalsPresent: optionalsPresent)
    }

    @Test func everyPayloadKindAndItsEnvelope() throws {
        for (index, kind) in MessageKind.allCases.enumerated() {
            for variant in 0..<3 {
                let seed = UInt64(index * 10 + variant)
                let payload = try sample(kind.payloadType, seed: seed, optionalsPresent: variant != 1)
                try expectSameBytes(payload)
                let envelope = Envelope(
                    id: "m-\(index)", correlation: Correlation(sessionId: variant == 1 ? nil : "s\"/é"),
                    createdAt: Date(timeIntervalSince1970: 1_800_000_000.123),
                    deadline: variant == 2 ? Date(timeIntervalSince1970: 1_800_000_030.5) : nil, body: payload)
                try expectSameBytes(WireEnvelope(envelope))
                #expect(try WireCodec().encode(envelope) == foundation.encode(WireEnvelope(envelope)))
            }
        }
    }

    @Test func records() throws {
        for seed in UInt64(0)..<8 {
            let present = seed % 2 == 0
            try expectSameBytes(try sample(AgentExecution.self, seed: seed, optionalsPresent: present))
            try expectSameBytes(try sample(InteractionSession.self, seed: seed, optionalsPresent: present))
            try expectSameBytes(try sample(InteractionMessage.self, seed: seed, optionalsPresent: present))
            try expectSameBytes(try sample(ExecutionStep.self, seed: seed, optionalsPresent: present))
            try expectSameBytes(try sample([String: [JSONValue]].self, seed: seed))
        }
    }

    @Test func stringsEveryASCIIByteAndUnicode() throws {
        try expectSameBytes(WireSamples.strings)
        let ascii = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        try expectSameBytes([ascii, String(ascii.reversed())])
        var random = SeededRandom(seed: 7)
        let scalars = (0..<2000).compactMap { _ in Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &random)) }
        try expectSameBytes(String(String.UnicodeScalarView(scalars)))
        try expectSameBytes([WireSamples.keys.joined(): WireSamples.strings])
    }

    @Test func numbers() throws {
        try expectSameBytes(WireSamples.doubles)
        try expectSameBytes(WireSamples.doubles.map { -$0 })
        try expectSameBytes(WireSamples.doubles.map(JSONValue.number))
        var random = SeededRandom(seed: 11)
        let doubles = (0..<3000).map { _ in Double(bitPattern: random.next()) }.filter(\.isFinite)
        try expectSameBytes(doubles)
        try expectSameBytes(doubles.map { Float($0) }.filter(\.isFinite))
        let floats: [Float] = [0, -0.0, 0.1, 1e-7, 3.4e38, 16_777_216, 1e7, 9_999_999, 1.5, .leastNonzeroMagnitude]
        try expectSameBytes(floats)
        try expectSameBytes([Int8.min, Int8.max])
        try expectSameBytes(IntegerExtremes())
        try expectSameBytes([
            Decimal(string: "3.14159"), Decimal(string: "-0.000001"), Decimal(string: "1e30"), Decimal(0)
        ])
        try expectSameBytes((0..<200).map { _ in Int.random(in: .min ... .max, using: &random) })
    }

    @Test func foundationsSpecialTypesAndFragments() throws {
        try expectSameBytes([
            Data(), Data([0]), Data([1, 2]), Data([0xFF, 0xFE, 0xFD]), Data(repeating: 0xAB, count: 100)
        ])
        try expectSameBytes([URL(string: "https://example.com/a b?q=é&x=/y#frag"), URL(string: "file:///tmp/x")])
        let dates = [0, -1, 1.0005, 1_800_000_000.123_4, -62_135_596_800, 253_402_300_799.999, 1e11].map {
            Date(timeIntervalSince1970: $0)
        }
        try expectSameBytes(dates)
        try expectSameBytes("top-level string")
        try expectSameBytes(42)
        try expectSameBytes(Optional<Int>.none)
        try expectSameBytes(true)
        try expectSameBytes([Int]())
        try expectSameBytes([String: Int]())
        try expectSameBytes([[String?]]([["a", nil], [], [nil]]))
        try expectSameBytes([3: "three", 1: "one", 20: "twenty", -4: "minus"])
        try expectSameBytes([true: 1, false: 0])
        try expectSameBytes(Set(["only"]))
        try expectSameBytes([JSONValue.null, .object([:]), .array([]), .string("/")])
    }

    @Test func nonFiniteNumbersThrowAsFoundationDoes() {
        let values: [any Encodable] = [
            Double.nan, [Double.infinity], ["k": -Double.infinity], JSONValue.array([.number(.nan)]),
            ["a": JSONValue.object(["b": .number(.infinity)])], Float.nan, NaNInside()
        ]
        for value in values {
            #expect(describe { try foundation.encode(value) } == describe { try wire.encode(value) })
        }
    }

    @Test func nestingAt511IsWrittenAnd512IsRefused() throws {
        let deep = (0..<510).reduce(JSONValue.array([])) { inner, _ in .array([inner]) }
        try expectSameBytes(deep)
        let tooDeep = JSONValue.array([deep])
        #expect(describe { try foundation.encode(tooDeep) } == describe { try wire.encode(tooDeep) })
        #expect(describe { try wire.encode(tooDeep) }.hasPrefix("invalidValue"))
    }

    @Test func encodingTwiceGivesTheSameBytes() throws {
        let value = try sample([String: JSONValue].self, seed: 99)
        #expect(try wire.encode(value) == wire.encode(value))
        let payload = try sample(CompletionRequest.self, seed: 5)
        #expect(try WireCodec.encodeValue(payload) == WireCodec.encodeValue(payload))
    }
}

/// An error's kind, path and text, for comparing two coders' failures.
func describe(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        return "no error"
    } catch let error as EncodingError {
        guard case .invalidValue(let value, let context) = error else { return "\(error)" }
        return "invalidValue \(value) at \(WireCodec.path(context.codingPath)): \(context.debugDescription)"
    } catch {
        return describeDecoding(error)
    }
}

func describeDecoding(_ error: any Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
        "keyNotFound \(key.stringValue) at \(keyPath(context.codingPath)): \(context.debugDescription)"
    case .typeMismatch(let type, let context)?:
        "typeMismatch \(type) at \(keyPath(context.codingPath)): \(context.debugDescription)"
    case .valueNotFound(let type, let context)?:
        "valueNotFound \(type) at \(keyPath(context.codingPath)): \(context.debugDescription)"
    case .dataCorrupted(let context)?:
        "dataCorrupted at \(keyPath(context.codingPath)): \(context.debugDescription)"
    default:
        "other: \(error)"
    }
}

/// Every key's string and int value, so paths compare exactly.
func keyPath(_ keys: [any CodingKey]) -> String {
    keys.map { "\($0.stringValue)|\($0.intValue.map(String.init) ?? "-")" }.joined(separator: "/")
}

struct IntegerExtremes: Codable {
    var int = [Int.min, Int.max]
    var int16 = [Int16.min, Int16.max]
    var int32 = [Int32.min, Int32.max]
    var int64 = [Int64.min, Int64.max]
    var uint = [UInt.min, UInt.max]
    var uint8 = [UInt8.min, UInt8.max]
    var uint16 = UInt16.max
    var uint32 = UInt32.max
    var uint64 = UInt64.max
    var int128 = Int128.min
    var uint128 = UInt128.max
    var optional: Int8? = -128
}

struct NaNInside: Codable {
    struct Inner: Codable { var ratio = Double.nan }
    var values = [Inner()]
}

extension WireJSONEncoderTests {
    @Test func arraysOfScalarsCountTowardTheNestingLimit() throws {
        func nested(_ depth: Int) -> Shape {
            Shape { encoder in
                var list = encoder.unkeyedContainer()
                if depth == 0 { try list.encode(["leaf"]) } else { try list.encode(nested(depth - 1)) }
            }
        }
        for depth in [509, 510, 511] {
            #expect(describe { try foundation.encode(nested(depth)) } == describe { try wire.encode(nested(depth)) })
        }
    }
}

extension WireJSONEncoderTests {
    @Test func encodersOnManyThreadsShareThePoolSafely() async throws {
        let samples = try (0..<16).map { try sample(CompletionRequest.self, seed: UInt64(100 + $0)) }
        let expected = try samples.map { try foundation.encode($0) }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<100 {
                        let index = (worker * 7 + round) % samples.count
                        if (try? WireJSONEncoder().encode(samples[index])) != expected[index] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func aContainerKeptPastItsEncodeCannotTouchTheNextOne() throws {
        final class Keeper: @unchecked Sendable { var container: KeyedEncodingContainer<Key>? }
        let keeper = Keeper()
        _ = try wire.encode(Shape { encoder in keeper.container = encoder.container(keyedBy: Key.self) })
        let later = try sample(CompletionRequest.self, seed: 3)
        let expected = try foundation.encode(later)
        let escaped = Shape { _ in try keeper.container?.encode("stray", forKey: .a) }
        try expectSameBytes([escaped])
        #expect(try wire.encode(later) == expected)
    }
}
