import Foundation
import Testing

@testable import LoomTrust

/// The detectors scored on every part of the corpus, per kind and per format, printed for
/// BENCHMARKS.md. Each part is held to floors just under its latest measurement, so one more
/// miss or false positive fails. Every part has been tuned on by now: the tuned part by design,
/// the held-out parts once their misses were read and fixed (the third since 2026-12-08), so
/// none of them estimates precision or recall on unseen text any more.
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

    /// What the detectors reached (2026-12-03): standard 1.000/1.000 and strict 0.984/1.000 on
    /// the tuned part; 0.967/1.000 and 0.949/1.000 on the first held-out part, 1.000/1.000 at
    /// `standard` once digits written alone needed their own phone grouping (2026-12-04). The
    /// same after the third part's fixes (2026-12-08, with nine IBAN values of these two parts
    /// fitted to their country's registered length); one more miss or false positive fails.
    @Test(arguments: [(PIIDetector.Preset.standard, 0.998), (.strict, 0.982)])
    func tunedPart(preset: PIIDetector.Preset, precisionFloor: Double) throws {
        let score = try Self.report("pii-corpus", preset)
        #expect(score.total.truePositives + score.total.falseNegatives == 426)
        #expect(score.total.recall >= 0.998)
        #expect(score.total.precision >= precisionFloor)
        // No format the tuned part labels is missed more than once.
        for (format, tally) in score.byFormat where !format.hasPrefix("lookalike") {
            #expect(tally.falseNegatives <= 1, "\(format)")
        }
    }

    @Test(arguments: [(PIIDetector.Preset.standard, 0.996), (.strict, 0.948)])
    func heldOutPart(preset: PIIDetector.Preset, precisionFloor: Double) throws {
        let score = try Self.report("pii-holdout", preset)
        #expect(score.total.truePositives + score.total.falseNegatives == 205)
        #expect(score.total.recall >= 0.996)
        #expect(score.total.precision >= precisionFloor)
    }

    /// The second held-out part (`generate-pii-holdout2.py`): fifteen countries no other part
    /// shows, new layouts and look-alikes, written before the fixes for the first held-out part.
    /// Its first measurement, before those fixes: standard 0.984/0.989 (TP 187 FP 3 FN 2), strict
    /// 0.903/0.989 (TP 187 FP 20 FN 2). After them: standard 0.995/0.989 (FP 1), strict unchanged.
    /// The floors are the figures measured after, so neither can silently regress; the third
    /// part's fixes (2026-12-08) left both as they were.
    @Test(arguments: [(PIIDetector.Preset.standard, 0.994, 0.989), (.strict, 0.903, 0.989)])
    func secondHeldOutPart(preset: PIIDetector.Preset, precisionFloor: Double, recallFloor: Double) throws {
        let score = try Self.report("pii-holdout2", preset)
        #expect(score.total.truePositives + score.total.falseNegatives == 189)
        #expect(score.total.recall >= recallFloor)
        #expect(score.total.precision >= precisionFloor)
    }

    /// The third held-out part (`generate-pii-holdout3.py`): twelve more countries, new sentence
    /// styles and look-alike shapes, committed (f4f4bc4) before it was first scored. That first
    /// measurement: standard 0.961/0.934 (TP 171 FP 7 FN 12), strict 0.961/0.945 (TP 173 FP 7
    /// FN 10). Its misses and false positives were then read and their classes fixed
    /// (2026-12-08), so it counts as tuned-on from then: standard 1.000/1.000 (TP 183), strict
    /// 0.995/0.995 (TP 182 FP 1 FN 1). The floors sit just under that.
    @Test(arguments: [(PIIDetector.Preset.standard, 0.995, 0.995), (.strict, 0.994, 0.994)])
    func thirdHeldOutPart(preset: PIIDetector.Preset, precisionFloor: Double, recallFloor: Double) throws {
        let score = try Self.report("pii-holdout3", preset)
        #expect(score.total.truePositives + score.total.falseNegatives == 183)
        #expect(score.total.recall >= recallFloor)
        #expect(score.total.precision >= precisionFloor)
    }

    /// The fourth held-out part (`generate-pii-holdout4.py`): eleven more countries, multilingual
    /// and operational text styles, 87 new look-alike shapes, committed (b875b3c) before the third
    /// part's fixes were merged, and scored once after them (2026-12-08): standard 0.950/0.962
    /// (TP 230 FP 12 FN 9), strict 0.924/0.971 (TP 232 FP 19 FN 7). Not tuned on; the floors sit
    /// just under that first measurement.
    @Test(arguments: [(PIIDetector.Preset.standard, 0.949, 0.961), (.strict, 0.923, 0.970)])
    func fourthHeldOutPart(preset: PIIDetector.Preset, precisionFloor: Double, recallFloor: Double) throws {
        let score = try Self.report("pii-holdout4", preset)
        #expect(score.total.truePositives + score.total.falseNegatives == 239)
        #expect(score.total.recall >= recallFloor)
        #expect(score.total.precision >= precisionFloor)
    }

    /// Detection alone on the 1 KB text `loom bench pii` masks, so its share of a round trip shows.
    @Test func detectionTimeOnAKilobyte() {
        let sentence = "Reach Ana at ana.lima@example.com or +351 912 345 678; card 4111 1111 1111 1111, "
        let text = String(repeating: sentence, count: 13)
        let detector = PIIDetector()
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<200 {
            let started = clock.now
            _ = detector.matches(in: String(text.prefix(1024)))
            times.append(clock.now - started)
        }
        times.sort()
        print("detection of 1024 bytes: p50 \(times[100]) p95 \(times[190])")
        #expect(times[100] < .seconds(1))
    }
}
