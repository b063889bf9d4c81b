import Foundation
import Testing

@testable import LoomContract

/// Hand-written `encode(to:)` shapes: the ones a stream writes itself and the ones it hands to
/// Foundation. Either way the bytes must be Foundation's.
@Suite struct WireJSONEncoderShapesTests {
    let foundation = WireCodec.makeEncoder()
    let wire = WireJSONEncoder()

    func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectWireBytesMatchFoundation(value, sourceLocation: sourceLocation)
    }

    @Test func nestedContainersWrittenInTurn() throws {
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: Key.self)
                try top.encode("z", forKey: .z)
                var inner = top.nestedContainer(keyedBy: Key.self, forKey: .m)
                try inner.encode(2, forKey: .b)
                try inner.encode(1, forKey: .a)
                var list = top.nestedUnkeyedContainer(forKey: .a)
                try list.encode("x")
                var deeper = list.nestedContainer(keyedBy: Key.self)
                try deeper.encodeNil(forKey: .z)
                try list.encode(true)
                try top.encode(0.5, forKey: .b)
            })
    }

    @Test func writingBackIntoAnEarlierSiblingFallsBackToFoundation() throws {
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: Key.self)
                var first = top.nestedContainer(keyedBy: Key.self, forKey: .b)
                var second = top.nestedUnkeyedContainer(forKey: .a)
                try first.encode(1, forKey: .z)
                try second.encode(2)
                try first.encode(3, forKey: .a)
            })
    }

    @Test func theSameKeyTwiceKeepsTheLastValue() throws {
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: Key.self)
                try top.encode(1, forKey: .a)
                try top.encode("two", forKey: .b)
                try top.encode(3, forKey: .a)
            })
    }

    @Test func repeatedContainerRequestsShareOneObject() throws {
        try expectSameBytes(
            Shape { encoder in
                var first = encoder.container(keyedBy: Key.self)
                try first.encode(1, forKey: .z)
                var second = encoder.container(keyedBy: Key.self)
                try second.encode(2, forKey: .a)
                try first.encode(3, forKey: .m)
            })
    }

    @Test func superEncodersKeyedAndUnkeyed() throws {
        try expectSameBytes(Derived())
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: Key.self)
                _ = top.superEncoder(forKey: .m)  // used for nothing: Foundation writes {}
                try top.encode(1, forKey: .a)
                var list = top.nestedUnkeyedContainer(forKey: .z)
                try list.encode(1)
                try "in the middle".encode(to: list.superEncoder())
                try list.encode(3)
            })
    }

    @Test func valuesThatWriteNothing() throws {
        try expectSameBytes(["empty": Shape { _ in }])
        try expectSameBytes([Shape { _ in }])
        #expect(describe { try foundation.encode(Shape { _ in }) } == describe { try wire.encode(Shape { _ in }) })
    }

    @Test func aSingleValueObjectTurnedIntoAContainer() throws {
        try expectSameBytes(
            Shape { encoder in
                var single = encoder.singleValueContainer()
                try single.encode(["b": 1])
                var keyed = encoder.container(keyedBy: Key.self)
                try keyed.encode(2, forKey: .a)
            })
    }

    @Test func aThrowingEntryThatIsCaughtLeavesNoTrace() throws {
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: Key.self)
                try top.encode(1, forKey: .z)
                try? top.encode(NaNInside(), forKey: .m)
                var list = top.nestedUnkeyedContainer(forKey: .a)
                try? list.encode(Double.nan)
                // (A caught throw from a nested value here makes Foundation's own encoder trap.)
                try list.encode(4)
            })
    }

    @Test func aSecondSingleValueIsAnErrorNotATrap() {
        // Foundation stops the process here; the wire's encoder throws instead.
        let twice = Shape { encoder in
            var single = encoder.singleValueContainer()
            try single.encode(1)
            try single.encode(2)
        }
        #expect(throws: EncodingError.self) { try wire.encode(twice) }
    }

    @Test func keysFoundationSortsByUTF8Bytes() throws {
        let keys = [
            "b", "a", "B", "_", "é", "e\u{301}", "\u{212A}", "K", "a\"", "a\\", "a\u{1}", "😀", "10", "9", "", "aa"
        ]
        // A Dictionary holds one of each canonically equal pair (é and e + U+0301, K and KELVIN SIGN).
        let distinct = keys.filter { $0 != "e\u{301}" && $0 != "K" }
        try expectSameBytes(Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) }))
        // Written one by one, the pairs are one key to Foundation; the stream hands that to it.
        try expectSameBytes(
            Shape { encoder in
                var top = encoder.container(keyedBy: AnyKey.self)
                for key in keys.reversed() { try top.encode(key, forKey: AnyKey(stringValue: key)) }
            })
    }
}

enum Key: String, CodingKey { case a, b, m, z }

struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A value whose `encode(to:)` is the closure given.
struct Shape: Encodable {
    let body: (any Encoder) throws -> Void
    func encode(to encoder: any Encoder) throws { try body(encoder) }
}

class Base: Encodable {
    var shared = "base"
    private enum CodingKeys: String, CodingKey { case shared }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shared, forKey: .shared)
    }
}

final class Derived: Base, @unchecked Sendable {
    var own = 2
    private enum CodingKeys: String, CodingKey { case own }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(own, forKey: .own)
        try super.encode(to: container.superEncoder())
        try super.encode(to: encoder)
    }
}
