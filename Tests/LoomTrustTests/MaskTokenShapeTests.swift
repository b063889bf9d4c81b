import Foundation
import LoomContract
import Testing

@testable import LoomTrust

/// Callers skip the unmask round trip when ``MaskTokenShape`` says no token can be in a text;
/// that is sound only if every text the trust layer's token pattern matches passes the check.
@Suite struct MaskTokenShapeTests {
    @Test func tokensAndTheirSpacedFormsMayAppear() {
        for text in ["[PHONE_1]", "call [ phone _ 12 ] now", "[EMAIL_ADDRESS_3].", "a[b]c [IBAN_7]", "[x_1][y]"] {
            #expect(MaskTokenShape.mayAppear(in: text), "\(text)")
        }
    }

    @Test func textsWithoutTheShapeAreLeftAlone() {
        for text in ["", "no token here", "[PHONE]", "[PHONE_]", "PHONE_1]", "[x]_1", "_1]", "[1_]", "array[0]"] {
            #expect(!MaskTokenShape.mayAppear(in: text), "\(text)")
        }
    }

    /// Seeded near-tokens: a token's parts with spaces, then characters dropped, replaced or
    /// added at random. Whenever the trust layer's pattern finds a token in one, the shape check
    /// says one may be there.
    @Test func everyTextThePatternMatchesPassesTheCheck() throws {
        let pattern = try #require(Masker.tokenPattern)
        let noise = Array("[]_ aZ09\n-")
        var generator = SeededGenerator(seed: 20_261_208)
        func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }
        var matched = 0
        var missed = 0
        for _ in 0..<20_000 {
            let parts = ["[", " ", "PHONE", "_NUMBER", " ", "_", " ", "12", " ", "]"].filter { _ in pick(4) != 0 }
            var characters = Array(parts.joined())
            for _ in 0..<pick(4) where !characters.isEmpty {
                let index = pick(characters.count)
                switch pick(3) {
                case 0: characters.remove(at: index)
                case 1: characters[index] = noise[pick(noise.count)]
                default: characters.insert(noise[pick(noise.count)], at: index)
                }
            }
            let text = String(characters)
            if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                matched += 1
                #expect(MaskTokenShape.mayAppear(in: text), "\(text.debugDescription)")
            } else {
                missed += 1
            }
        }
        #expect(matched > 1000 && missed > 1000, "the sample must hold both to say anything")
    }
}
