import Foundation
import LoomContract
import Testing

/// The pre-decoder guard: ordinary JSON passes, anything that could make Foundation's decoder
/// trap or grind is refused with the limit it broke.
@Suite struct JSONLimitsTests {
    let limits = JSONLimits.standard

    static func repeated(_ piece: String, _ count: Int) -> String { String(repeating: piece, count: count) }

    @Test func ordinaryJSONPasses() throws {
        let documents = [
            #"{"agent":"support","text":"hello","n":-12.5e+3,"ok":true,"none":null,"list":[1,[2,[3]]]}"#,
            #"{"text":"[[[[{{{{ brackets in a string do not nest ]]]]}}}}"}"#,
            #"{"text":"an escaped quote \" then [ and a backslash \\","next":"["}"#,
            #"{"emoji":"\ud83d\ude00 \u005b is not a bracket","plain":"é ü 日本"}"#,
            "[]", "{}", "\"\"", "0", Self.repeated("[", 64) + Self.repeated("]", 64),
            Self.repeated("{\"a\":", 63) + "[1]" + Self.repeated("}", 63),
        ]
        for document in documents {
            #expect(throws: Never.self, "\(document)") { try limits.check(Data(document.utf8)) }
            // What passed is JSON Foundation reads.
            let parsed = try? JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)
            #expect(parsed != nil, "\(document)")
        }
    }

    @Test func deepArraysAndObjectsAreRefusedAtAnyDepth() {
        for depth in [65, 513, 100_000] {
            let arrays = Self.repeated("[", depth)
            #expect(throws: JSONLimitError.tooDeep(limit: 64, offset: 64)) { try limits.check(Data(arrays.utf8)) }
            let objects = Self.repeated("{\"a\":", depth)
            #expect(throws: JSONLimitError.tooDeep(limit: 64, offset: 64 * 5)) { try limits.check(Data(objects.utf8)) }
            let closed = Self.repeated("[", depth) + Self.repeated("]", depth)
            #expect(throws: JSONLimitError.tooDeep(limit: 64, offset: 64)) { try limits.check(Data(closed.utf8)) }
        }
    }

    @Test func strayClosersBuyNoRoom() {
        let text = Self.repeated("]}", 1000) + Self.repeated("[", 65)
        #expect(throws: JSONLimitError.tooDeep(limit: 64, offset: 2000 + 64)) { try limits.check(Data(text.utf8)) }
    }

    @Test func escapesDecideWhereAStringEnds() {
        // `\\` is an escaped backslash, so the quote after it ends the string: the brackets nest.
        let closedString = #"["\\","# + Self.repeated("[", 64)
        #expect(throws: JSONLimitError.self) { try limits.check(Data(closedString.utf8)) }
        // `\"` is an escaped quote, so the brackets are text inside the string.
        let openString = #"["\""# + Self.repeated("[", 600) + #"\\"]"#
        #expect(throws: Never.self) { try limits.check(Data(openString.utf8)) }
    }

    @Test func longStringsNumbersAndDocumentsAreRefused() {
        let small = JSONLimits(maxDepth: 4, maxStringBytes: 10, maxNumberLength: 5, maxDocumentBytes: 40)
        #expect(throws: Never.self) { try small.check(Data(#"["0123456789",12345,-1.5]"#.utf8)) }
        let tooLong = JSONLimitError.stringTooLong(limit: 10, offset: 2)
        #expect(throws: tooLong) { try small.check(Data(#"["0123456789A"]"#.utf8)) }
        #expect(throws: tooLong) { try small.check(Data(#"["\"\"\"\"\"\""]"#.utf8)) }
        #expect(throws: JSONLimitError.numberTooLong(limit: 5, offset: 1)) { try small.check(Data("[123456]".utf8)) }
        #expect(throws: JSONLimitError.numberTooLong(limit: 5, offset: 0)) { try small.check(Data("-1.5e+7".utf8)) }
        let large = Data(("[" + Self.repeated("1,", 20) + "1]").utf8)
        #expect(throws: JSONLimitError.documentTooLarge(bytes: large.count, limit: 40)) { try small.check(large) }

        let digits = Self.repeated("9", 101)
        #expect(throws: JSONLimitError.numberTooLong(limit: 100, offset: 0)) { try limits.check(Data(digits.utf8)) }
        #expect(throws: Never.self) { try limits.check(Data(String(digits.dropLast()).utf8)) }
    }

    @Test func errorsNameTheLimit() {
        #expect(JSONLimitError.tooDeep(limit: 64, offset: 3).code == "too_deep")
        #expect(JSONLimitError.tooDeep(limit: 64, offset: 3).description.contains("64"))
        #expect(JSONLimitError.numberTooLong(limit: 100, offset: 0).code == "number_too_long")
    }
}
