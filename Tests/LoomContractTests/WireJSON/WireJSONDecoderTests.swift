import Foundation
import Testing

@testable import LoomContract

/// The wire's decoder against Foundation's configured one: the same values, and for bad input
/// the same error case, coding path and text.
@Suite struct WireJSONDecoderTests {
    let foundation = WireCodec.makeDecoder()
    let wire = WireJSONDecoder()
    let encoder = WireCodec.makeEncoder()

    /// What a decode gives, as text: the value re-encoded, or the error described.
    func outcome<T: Codable>(_ type: T.Type, _ data: Data, _ decode: (T.Type, Data) throws -> T) -> String {
        do {
            return "value " + String(decoding: try encoder.encode(try decode(type, data)), as: UTF8.self)
        } catch {
            return describeDecoding(error)
        }
    }

    func expectSameOutcome<T: Codable>(
        _ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSameOutcome(type, Data(text.utf8), sourceLocation: sourceLocation)
    }

    func expectSameOutcome<T: Codable>(_ type: T.Type, _ data: Data, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let expected = outcome(type, data, foundation.decode)
        let actual = outcome(type, data, wire.decode)
        #expect(actual == expected, "input: \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    @Test func everyPayloadKindRoundTrips() throws {
        for (index, kind) in MessageKind.allCases.enumerated() {
            for variant in 0..<2 {
                let payload = try WireSampleDecoder.make(
                    kind.payloadType, seed: UInt64(index * 7 + variant), optionalsPresent: variant == 0)
                let bytes = try WireCodec.encodeValue(payload)
                func reencoded<P: MessagePayload>(_ type: P.Type) throws -> (Data, Data) {
                    (
                        try encoder.encode(try wire.decode(type, from: bytes)),
                        try encoder.encode(try foundation.decode(type, from: bytes))
                    )
                }
                let (viaWire, viaFoundation) = try reencoded(kind.payloadType)
                #expect(viaWire == bytes)
                #expect(viaFoundation == bytes)
                let envelope = Envelope(
                    id: "e\(index)", createdAt: Date(timeIntervalSince1970: 1_800_000_000.5), body: payload)
                let frame = try WireCodec().encode(envelope)
                #expect(try WireCodec().encode(WireCodec().decode(frame)) == frame)
            }
        }
    }

    @Test func wellFormedEdges() {
        expectSameOutcome(
            Probe.self, #"{"id":"a","count":1,"ratio":2,"flag":true,"tags":[],"extra":{"x":[1,2,{"y":null}]}}"#)
        expectSameOutcome(
            Probe.self, " \r\n\t{\"id\" : \"a\" , \"count\":-0,\"ratio\":1e2,\"flag\":false,\"tags\":[\"x\",],} \n")
        expectSameOutcome(
            Probe.self, #"{"id":"first","id":"second","count":1.0,"ratio":-0.0,"flag":true,"tags":["a"]}"#)
        expectSameOutcome(
            Probe.self, #"{"\u0069d":"escaped key","count":1e2,"ratio":5e-324,"flag":true,"tags":["\ud83d\ude00"]}"#)
        expectSameOutcome(
            Probe.self,
            #"{"id":"\u212Aelvin","count":9223372036854775807,"ratio":1.7976931348623157e308,"flag":true,"tags":[]}"#)
        expectSameOutcome(
            Probe.self, #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"when":"2026-12-08T01:02:03.456Z"}"#)
        expectSameOutcome(
            Probe.self, #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"when":"2026-12-08T01:02:03+02:00"}"#)
        expectSameOutcome(
            Probe.self,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"nested":{"blob":"AQID/w==","link":"https://a.b/c"}}"#
        )
        expectSameOutcome(Probe.self, "\u{FEFF}{\"id\":\"bom\",\"count\":1,\"ratio\":1,\"flag\":true,\"tags\":[]}")
        let utf16 =
            "{\"id\":\"utf16\",\"count\":1,\"ratio\":1,\"flag\":true,\"tags\":[]}".data(using: .utf16BigEndian)
            ?? Data()
        expectSameOutcome(Probe.self, utf16)
        expectSameOutcome([Int].self, "[9007199254740993.5, 1.0e18, -9223372036854775808, 1e2]")
        expectSameOutcome([UInt8].self, "[0, 255, 2.0]")
        expectSameOutcome([Float].self, "[0.1, 3.4e38, 1e-45, -0]")
        expectSameOutcome([Double?].self, "[null, 1, null]")
        expectSameOutcome([String: Int].self, #"{"b":1,"a":2,"10":3,"b":4}"#)
        expectSameOutcome(JSONValue.self, #"{"a":[1,"two",null,true,{"b":-1.5e-3}],"é":{},"e\u0301":1}"#)
        expectSameOutcome(Decimal.self, "3.14159")
        expectSameOutcome(String.self, #""top-level""#)
        expectSameOutcome(Int.self, " 42 ")
    }

    @Test func malformedInputFailsTheSameWay() {
        let inputs = [
            "", " ", "{", "[1,2", #"{"id":"a""#, #"{"id":"a"} x"#, "[1]]", "nul", "tru", "[,]", "{,}", #"{"a" 1}"#,
            #"{"id":1,"count":1,"ratio":1,"flag":true,"tags":[]}"#, #"{"count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":null,"count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":null,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":"1","ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":null,"tags":[]}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":1,"tags":{}}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[1]}"#,
            #"{"id":"a","count":1.5,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":9223372036854775808,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":01,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":1.2.3,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":-,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":1,"ratio":1e400,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":1,"ratio":1e-400,"flag":true,"tags":[]}"#,
            #"{"id":"a","count":1,"ratio":1.e5,"flag":true,"tags":[]}"#,
            #"{"id":"bad \x escape","count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"\u12G4","count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"\ud800","count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"\udc00","count":1,"ratio":1,"flag":true,"tags":[]}"#,
            #"{"id":"\ud800\u0041","count":1,"ratio":1,"flag":true,"tags":[]}"#, #"{"id":"\u12"}"#,
            "{\"id\":\"tab\tinside\",\"count\":1,\"ratio\":1,\"flag\":true,\"tags\":[]}",
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"when":"yesterday"}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"when":12}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"when":null}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"nested":{"blob":"!!"}}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"nested":{"link":""}}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"nested":[]}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":"x"}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"payload":[1,01]}"#,
            #"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"payload":{"k":"\q"}}"#, "[]", "7", #""text""#, "null"
        ]
        for input in inputs {
            expectSameOutcome(Probe.self, input)
            expectSameOutcome(JSONValue.self, input)
        }
        for input in ["[1,\"a\"]", "[null]", "[1,2,3]", "{}", "[1e400]", "[true]"] {
            expectSameOutcome(Pair.self, input)
            expectSameOutcome([Int].self, input)
        }
    }

    @Test func invalidUTF8InValuesAndKeys() {
        let prefix = Array(#"{"id":""#.utf8)
        let rest = Array(#"","count":1,"ratio":1,"flag":true,"tags":[]}"#.utf8)
        for bad: [UInt8] in [
            [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x61, 0xFF, 0x5C, 0x6E]
        ] {
            expectSameOutcome(Probe.self, Data(prefix + bad + rest))
            expectSameOutcome(JSONValue.self, Data(prefix + bad + rest))
            let badKey =
                Array(#"{""#.utf8) + bad + Array(#"":1,"id":"a","count":1,"ratio":1,"flag":true,"tags":[]}"#.utf8)
            expectSameOutcome(Probe.self, Data(badKey))
            // A bad key in an object nobody reads is not looked at, by either decoder.
            let unread =
                Array(#"{"id":"a","count":1,"ratio":1,"flag":true,"tags":[],"extra":{""#.utf8) + bad
                + Array(#"":1}}"#.utf8)
            expectSameOutcome(Probe.self, Data(unread))
        }
    }

    @Test func nestingPastFoundationsLimitThrows() {
        for depth in [511, 512, 513, 600] {
            expectSameOutcome(
                JSONValue.self, String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        }
        // Far deeper than any stack would survive in a recursive parser: refused, not a crash.
        let deep = Data(String(repeating: "[", count: 100_000).utf8)
        #expect(throws: DecodingError.self) { try wire.decode(JSONValue.self, from: deep) }
        let deepObjects = Data(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(throws: DecodingError.self) { try wire.decode(JSONValue.self, from: deepObjects) }
    }

    @Test func envelopeErrorsMatch() throws {
        let good = try WireCodec().encode(
            Envelope(id: "m", createdAt: Date(timeIntervalSince1970: 1), body: TraceQuery(executionId: "e")))
        let text = String(decoding: good, as: UTF8.self)
        let variants = [
            text, text.replacingOccurrences(of: #""executionId":"e""#, with: #""executionId":42"#),
            text.replacingOccurrences(of: #""executionId":"e""#, with: #""executionId":"\x""#),
            text.replacingOccurrences(of: #""executionId":"e""#, with: #""executionId":"e","n":01"#),
            text.replacingOccurrences(of: #""id":"m""#, with: #""id":"""#),
            text.replacingOccurrences(of: #""v":"1.0""#, with: #""v":"9.0""#),
            text.replacingOccurrences(of: #""kind":"control.trace""#, with: #""kind":"nope""#),
            text.replacingOccurrences(of: #""createdAt":"1970-01-01T00:00:01.000Z""#, with: #""createdAt":"soon""#),
            text.replacingOccurrences(of: #","traceparent""#, with: #","traceparent":null,"x""#), #"{"v":"1.0"}"#, "{}"
        ]
        for variant in variants {
            let data = Data(variant.utf8)
            let viaFoundation = describe { try foundation.decode(WireEnvelope.self, from: data).envelope().id }
            let viaWire = describe { try wire.decode(WireEnvelope.self, from: data).envelope().id }
            #expect(viaWire == viaFoundation, "input: \(variant)")
        }
    }
}

struct Probe: Codable {
    struct Nested: Codable {
        var blob: Data?
        var link: URL?
    }

    var id: String
    var count: Int
    var ratio: Double
    var flag: Bool
    var tags: [String]
    var when: Date?
    var nested: Nested?
    var payload: JSONValue?
}

/// An unkeyed shape: a number and then a string.
struct Pair: Codable {
    var number: Int
    var text: String?

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        number = try container.decode(Int.self)
        text = try container.decodeIfPresent(String.self)
        _ = try container.decodeNil()
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(number)
        try container.encode(text)
    }
}
