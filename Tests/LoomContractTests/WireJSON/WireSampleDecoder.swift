import Foundation
import LoomContract

/// SplitMix64: a small seeded generator, so every "random" sample is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// The awkward values every sample draws from: what JSON escaping and number printing must get right.
enum WireSamples {
    static let strings = [
        "plain", "", "quote \" and backslash \\", "a/b </script> http://x.y/z", "tab\tnewline\ncr\rff\u{0C}bs\u{08}",
        "controls \u{00}\u{01}\u{1F}\u{7F}", "emoji 😀 and non-BMP 𝄞", "é NFC and e\u{301} NFD",
        "line\u{2028}sep\u{2029}",
        "日本語のテキスト", "\u{FEFF}bom", "{\"json\":[1,2]}", "ключ", "ünïcödé", "\\u0041 written out"
    ]
    static let integers = [0, 1, -1, 42, 1_800_000_000, Int.max, Int.min, 9_007_199_254_740_993, -273]
    static let doubles: [Double] = [
        0, 0.2, -0.0, 1e-05, 1.5e300, 123_456.789, 1e16, 0.1 + 0.2, -3.25, .leastNonzeroMagnitude, 42, 1e15,
        999_999_999_999_999,
        9_007_199_254_740_992, 2.2250738585072014e-308, 1.7976931348623157e308, -1e-7, 100
    ]
    static let keys = ["b", "a", "B", "_", "é", "e\u{301}", "a/b", "quote\"", "ctrl\u{1}", "😀", "10", "9", "A1", "aa"]

    /// A JSON tree of up to `depth` levels with keys and scalars from the lists above.
    static func jsonValue(depth: Int, _ random: inout SeededRandom) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            if Bool.random(using: &random) { return .number(doubles.randomElement(using: &random) ?? 0) }
            return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 8)
        case 3, 4: return .string(strings.randomElement(using: &random) ?? "")
        case 5:
            let count = Int.random(in: 0...4, using: &random)
            return .array((0..<count).map { _ in jsonValue(depth: depth - 1, &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                members[keys.randomElement(using: &random) ?? "k"] = jsonValue(depth: depth - 1, &random)
            }
            return .object(members)
        }
    }
}

/// A Decoder that makes up a value of any Decodable type, so every payload of the contract can
/// be built without a hand-written sample each: keys are all present (or all optional ones
/// absent), strings and numbers come from `WireSamples`, enums pick one of their cases.
final class WireSampleDecoder: Decoder {
    var random: SeededRandom
    let optionalsPresent: Bool
    var depth = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(seed: UInt64, optionalsPresent: Bool) {
        random = SeededRandom(seed: seed)
        self.optionalsPresent = optionalsPresent
    }

    static func make<T: Decodable>(_ type: T.Type, seed: UInt64, optionalsPresent: Bool) throws -> T {
        try WireSampleDecoder(seed: seed, optionalsPresent: optionalsPresent).value(type)
    }

    func value<T: Decodable>(_ type: T.Type) throws -> T {
        if let cases = T.self as? any CaseIterable.Type, let picked = pick(from: cases) as? T { return picked }
        if T.self == JSONValue.self, let json = WireSamples.jsonValue(depth: 3, &random) as? T { return json }
        if T.self == Date.self,
            let date = Date(
                timeIntervalSince1970: Double(
                    Int.random(
                        in: 0...4_000_000_000_000, using: &random)) / 1000) as? T
        {
            return date
        }
        if T.self == String.self, let text = string() as? T { return text }
        depth += 1
        defer { depth -= 1 }
        return try T(from: self)
    }

    private func pick(from cases: any CaseIterable.Type) -> Any? {
        func choose<C: CaseIterable>(_ type: C.Type) -> Any? { Array(type.allCases).randomElement(using: &random) }
        return choose(cases)
    }

    func string() -> String { WireSamples.strings.randomElement(using: &random) ?? "" }
    func integer() -> Int { WireSamples.integers.randomElement(using: &random) ?? 0 }
    func double() -> Double { WireSamples.doubles.randomElement(using: &random) ?? 0 }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(SampleKeyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        SampleUnkeyed(decoder: self, count: depth > 5 ? 0 : Int.random(in: 1...3, using: &random))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SampleSingle(decoder: self) }
}

private struct SampleKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: WireSampleDecoder
    var codingPath: [any CodingKey] { [] }
    /// For a dictionary: awkward keys, which the encoder must sort.
    var allKeys: [Key] { WireSamples.keys.prefix(decoder.depth > 5 ? 0 : 6).compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { decoder.optionalsPresent }
    func decodeNil(forKey key: Key) throws -> Bool { false }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { Bool.random(using: &decoder.random) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { decoder.string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { decoder.double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(decoder.double() / 1e290) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { decoder.integer() }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { Int8(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { Int16(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { Int64(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { UInt8(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { UInt16(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { UInt32(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { UInt64(truncatingIfNeeded: decoder.integer()) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.value(type) }
    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> { try decoder.container(keyedBy: type) }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

private struct SampleUnkeyed: UnkeyedDecodingContainer {
    let decoder: WireSampleDecoder
    let count: Int?
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    init(decoder: WireSampleDecoder, count: Int) {
        self.decoder = decoder
        self.count = count
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: String.Type) throws -> String {
        currentIndex += 1
        return decoder.string()
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        currentIndex += 1
        return decoder.integer()
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        currentIndex += 1
        return decoder.double()
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        currentIndex += 1
        return Int8(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        currentIndex += 1
        return Int16(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        currentIndex += 1
        return Int32(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        currentIndex += 1
        return Int64(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
        currentIndex += 1
        return UInt(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        currentIndex += 1
        return UInt8(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        currentIndex += 1
        return UInt16(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        currentIndex += 1
        return UInt32(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        currentIndex += 1
        return UInt64(truncatingIfNeeded: decoder.integer())
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool {
        currentIndex += 1
        return Bool.random(using: &decoder.random)
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        currentIndex += 1
        return Float(decoder.double() / 1e290)
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try decoder.value(type)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try decoder.container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try decoder.unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder { decoder }
}

private struct SampleSingle: SingleValueDecodingContainer {
    let decoder: WireSampleDecoder
    var codingPath: [any CodingKey] { [] }
    func decodeNil() -> Bool { !decoder.optionalsPresent }
    func decode(_ type: Bool.Type) throws -> Bool { Bool.random(using: &decoder.random) }
    func decode(_ type: String.Type) throws -> String { decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { decoder.double() }
    func decode(_ type: Int.Type) throws -> Int { decoder.integer() }
    func decode(_ type: Int8.Type) throws -> Int8 { Int8(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int16.Type) throws -> Int16 { Int16(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int32.Type) throws -> Int32 { Int32(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt.Type) throws -> UInt { UInt(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(truncatingIfNeeded: decoder.integer()) }
    func decode(_ type: Float.Type) throws -> Float { Float(decoder.double() / 1e290) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type) }
}
