import Foundation
import Testing

@testable import LoomTrust

/// libphonenumber answers in UTF-8 byte offsets; every answer must become the right characters,
/// and no input may trap or hang.
struct PhoneNumberFinderTests {
    func values(_ text: String, region: String = "US") -> [String] {
        PhoneNumberFinder.ranges(in: text, region: region, leniency: .valid).map { String(text[$0]) }
    }

    @Test func offsetsAfterMultibyteCharactersLandOnTheNumber() {
        #expect(values("héllo ünïcode 👩‍👩‍👧 call +1 415 555 2671. ok") == ["+1 415 555 2671"])
        #expect(values("电话：+86 138 0013 8000，谢谢", region: "CN") == ["+86 138 0013 8000"])
        #expect(values("e\u{301}\u{301} +44 20 7946 0958") == ["+44 20 7946 0958"])
    }

    @Test func offsetsOffACharacterBoundaryAreDropped() {
        // UTF-8 offset 1 is inside "é"; 3 is inside "e\u{301}" (a single character).
        #expect(PhoneNumberFinder.range(utf8: 1..<2, in: "éa") == nil)
        #expect(PhoneNumberFinder.range(utf8: 0..<1, in: "e\u{301}") == nil)
        #expect(PhoneNumberFinder.range(utf8: 0..<9, in: "short") == nil)
        #expect(PhoneNumberFinder.range(utf8: 2..<3, in: "éa").map { String("éa"[$0]) } == "a")
    }

    @Test func unusualRegionsAndEmptyTextAnswerQuietly() {
        #expect(values("", region: "US").isEmpty)
        #expect(values("+1 415 555 2671", region: "").count == 1)
        #expect(values("+1 415 555 2671", region: "ZZ").count == 1)
        #expect(PIIDetector.normalizedRegion("br") == "BR" && PIIDetector.normalizedRegion("Brazil") == "US")
        #expect(PIIDetector.normalizedRegion(nil) == "US" && PIIDetector.normalizedRegion("1\u{301}") == "US")
        #expect(values("nul\u{0}+1 415 555 2671\u{0}").count == 1)
    }

    @Test func randomTextNeverTraps() {
        var generator = SeededGenerator(seed: 42)
        let pieces = ["+", "1", "4", "(", ")", "-", ".", " ", "é", "👍", "\u{301}", "\u{0}", "٣", "０", "\n"]
            + ["x", "/", "ext. "]
        for _ in 0..<300 {
            let length = Int.random(in: 0...80, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            for range in PhoneNumberFinder.ranges(in: text, region: "US", leniency: .possible) {
                #expect(range.lowerBound >= text.startIndex && range.upperBound <= text.endIndex)
            }
            _ = PIIDetector(preset: .strict, region: "DE").matches(in: text)
        }
    }

    @Test func aLongLineIsReadInTime() {
        let clock = ContinuousClock()
        let started = clock.now
        let line = String(repeating: "id 4817 23 9 ", count: 200_000 / 13) + "call +1 415 555 2671"
        #expect(values(line).last == "+1 415 555 2671")
        let digits = String(repeating: "5", count: 200_000)
        _ = PIIDetector(preset: .strict).matches(in: digits)
        #expect(clock.now - started < .seconds(30))
    }
}

/// A small deterministic generator (SplitMix64), so a failing random case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
