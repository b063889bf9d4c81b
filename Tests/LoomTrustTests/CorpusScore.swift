import Foundation

@testable import LoomTrust

/// Precision and recall of the detectors on a labelled corpus, counted on what a provider would
/// receive: a labelled value is found only when one match of its kind covers all of it (a value
/// masked in part still leaks the rest), and every other match is a false positive.
struct CorpusScore {
    struct Sample: Decodable {
        var kind: String?
        var text: String
        var value: String?
        var format: String?
        var region: String?
    }

    struct Tally {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        var recall: Double {
            truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
        }

        static func += (lhs: inout Tally, rhs: Tally) {
            lhs.truePositives += rhs.truePositives
            lhs.falsePositives += rhs.falsePositives
            lhs.falseNegatives += rhs.falseNegatives
        }
    }

    /// Per token kind (false positives under the kind that claimed them).
    var byKind: [String: Tally] = [:]
    /// Per labelled format (false positives under the format of the text they were found in).
    var byFormat: [String: Tally] = [:]
    var misses: [String] = []
    var total: Tally { byKind.values.reduce(into: Tally()) { $0 += $1 } }

    static func samples(_ resource: String) throws -> [Sample] {
        guard let url = Bundle.module.url(forResource: resource, withExtension: "jsonl", subdirectory: "Fixtures")
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Sample.self, from: Data($0.utf8))
        }
    }

    init(samples: [Sample], detector: (Sample) -> PIIDetector) {
        for sample in samples {
            score(sample, detector(sample).matches(in: sample.text))
        }
    }

    private mutating func score(_ sample: Sample, _ matches: [PIIDetector.Match]) {
        let format = sample.format ?? "unlabelled"
        var claimed = matches
        if let kind = sample.kind, let value = sample.value, let valueRange = sample.text.range(of: value) {
            let hit = claimed.firstIndex { $0.kind == kind && $0.range.contains(valueRange) }
            if let hit {
                byKind[kind, default: Tally()].truePositives += 1
                byFormat[format, default: Tally()].truePositives += 1
                claimed.remove(at: hit)
            } else {
                byKind[kind, default: Tally()].falseNegatives += 1
                byFormat[format, default: Tally()].falseNegatives += 1
                misses.append("missed \(format): \(sample.text.debugDescription) got \(matches.map(\.value))")
            }
            // Part of the value under its own kind is a miss already; another kind on it is also a false claim.
            claimed.removeAll { $0.kind == kind && $0.range.overlaps(valueRange) }
        }
        for match in claimed {
            byKind[match.kind, default: Tally()].falsePositives += 1
            byFormat[format, default: Tally()].falsePositives += 1
            let value = match.value.debugDescription
            misses.append("false \(match.kind) \(value) in \(format): \(sample.text.debugDescription)")
        }
    }

    /// A Markdown table, one row per key.
    static func table(_ tallies: [String: Tally], title: String) -> String {
        var lines = ["| \(title) | precision | recall | TP | FP | FN |", "|---|---|---|---|---|---|"]
        for (key, tally) in tallies.sorted(by: { $0.key < $1.key }) {
            let rates = String(format: "%.3f | %.3f", tally.precision, tally.recall)
            let counts = "\(tally.truePositives) | \(tally.falsePositives) | \(tally.falseNegatives)"
            lines.append("| \(key) | \(rates) | \(counts) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension Range where Bound == String.Index {
    func contains(_ other: Range<String.Index>) -> Bool {
        lowerBound <= other.lowerBound && other.upperBound <= upperBound
    }
}
