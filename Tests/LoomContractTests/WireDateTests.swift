import Foundation
import Testing

@testable import LoomContract

/// The hand-written date layout must agree with Foundation's ISO 8601 style on every date it
/// writes (to the millisecond, rounded), and read back exactly what it wrote.
struct WireDateTests {
    /// Whole seconds from Foundation, milliseconds rounded by hand (Foundation truncates them).
    private func foundationFormat(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)Z"
    }

    @Test func formatAgreesWithFoundationAcrossCenturiesAndLeapDays() throws {
        var generator = SplitMix(seed: 42)
        let fixed: [Double] = [0, -1, 951_782_400, 951_868_799.999, 4_107_542_399.999, -2_208_988_800, 1_709_164_800.5]
        let random = (0..<2_000).map { _ in Double(generator.next() % 8_000_000_000_000) / 1000 - 2_000_000_000 }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            #expect(WireDate.format(date) == foundationFormat(date), "for \(seconds)")
        }
    }

    @Test func parseReadsBackWhatFormatWrote() throws {
        var generator = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(generator.next() % 4_000_000_000_000) / 1000)
            let text = WireDate.format(date)
            let parsed = try #require(WireDate.parseCanonical(text))
            #expect(WireDate.format(parsed) == text)
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.0005)
        }
    }

    @Test func otherISO8601SpellingsStillRead() throws {
        #expect(WireDate.parse("2026-12-04T10:00:00Z") == Date(timeIntervalSince1970: 1_796_378_400))
        #expect(WireDate.parse("2026-12-04T10:00:00.5Z") == Date(timeIntervalSince1970: 1_796_378_400.5))
        #expect(WireDate.parse("2026-12-04T11:00:00+01:00") == Date(timeIntervalSince1970: 1_796_378_400))
    }

    @Test func impossibleDatesAreNotReadAsTheWireLayout() {
        for text in ["2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-12-04T24:00:00.000Z",
                     "2026-12-04T10:60:00.000Z", "2026-12-04T10:00:00.00xZ", "2026-12-04 10:00:00.000Z", ""] {
            #expect(WireDate.parseCanonical(text) == nil, "\(text)")
        }
    }

    @Test func fractionsRoundToTheNearestMillisecond() {
        #expect(WireDate.format(Date(timeIntervalSince1970: 0.1234)) == "1970-01-01T00:00:00.123Z")
        #expect(WireDate.format(Date(timeIntervalSince1970: 0.9996)) == "1970-01-01T00:00:01.000Z")
        #expect(WireDate.format(Date(timeIntervalSince1970: -0.0004)) == "1970-01-01T00:00:00.000Z")
    }
}

/// A small seeded generator, so failures repeat.
private struct SplitMix {
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
