import ArgumentParser
import Foundation
import LoomBus
import LoomContract

/// Precision and recall of the running trust service's detectors on a labelled corpus, and
/// the latency of masking and unmasking 1 KB of text through it.
struct BenchPIICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "PII detection precision/recall on a labelled corpus, and mask+unmask latency for 1 KB of text.")

    @OptionGroup var suite: SuiteOptions
    @Option(help: "A JSON-lines corpus: {\"kind\": \"EMAIL\" or null, \"text\": …, \"value\": …} per line.")
    var corpus = "Tests/LoomTrustTests/Fixtures/pii-corpus.jsonl"
    @Option(help: "The masking preset: standard or strict.") var preset = "standard"
    @Option(help: "Mask+unmask round trips to time.") var count = 1000
    @Option(help: "The region (ISO 3166 alpha-2) for texts the corpus gives none; the trust layer's default if unset.")
    var region: String?

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
        var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
    }

    func run() async throws {
        let samples = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Sample.self, from: Data($0.utf8))
        }
        let run = UUID().uuidString.prefix(8)
        try await ControlClient.withNode(service: "trust", layout: try suite.layout()) { node in
            var tallies: [String: Tally] = [:]
            var formats: [String: Tally] = [:]
            var misses: [String] = []
            for (index, sample) in samples.enumerated() {
                let result = try await node.call(
                    MaskRequest(
                        scope: "bench-pii-\(run)-\(index)", preset: preset, texts: [sample.text],
                        region: sample.region ?? region),
                    to: .peer("trust"), expecting: MaskResult.self)
                var found = result.detections.reduce(into: [String: Int]()) { $0[$1.key.uppercased()] = $1.value }
                let format = sample.format ?? "unlabelled"
                if let kind = sample.kind {
                    let masked = result.texts.first ?? ""
                    if (found[kind] ?? 0) > 0, let value = sample.value,
                        Self.maskedWhole(value, in: sample.text, masked: masked)
                    {
                        tallies[kind, default: Tally()].truePositives += 1
                        formats[format, default: Tally()].truePositives += 1
                        found[kind, default: 0] -= 1
                    } else {
                        tallies[kind, default: Tally()].falseNegatives += 1
                        formats[format, default: Tally()].falseNegatives += 1
                        misses.append("missed \(kind): \(sample.text)")
                    }
                }
                for (kind, extra) in found where extra > 0 {
                    tallies[kind, default: Tally()].falsePositives += extra
                    formats[format, default: Tally()].falsePositives += extra
                    misses.append("false \(kind): \(sample.text)")
                }
            }
            print("corpus: \(samples.count) texts, \(samples.filter { $0.kind != nil }.count) with one labelled value, preset \(preset)")
            print("detector   precision  recall   TP  FP  FN")
            for (kind, tally) in tallies.sorted(by: { $0.key < $1.key }) {
                print(kind.padding(toLength: 9, withPad: " ", startingAt: 0) + String(
                    format: "  %9.3f  %6.3f  %3d %3d %3d", tally.precision, tally.recall, tally.truePositives, tally.falsePositives,
                    tally.falseNegatives))
            }
            print("format     precision  recall   TP  FP  FN")
            for (format, tally) in formats.sorted(by: { $0.key < $1.key }) {
                let rates = String(format: "  %9.3f  %6.3f", tally.precision, tally.recall)
                print("\(format)\(rates)  \(tally.truePositives) \(tally.falsePositives) \(tally.falseNegatives)")
            }
            for miss in misses { print("  \(miss)") }

            let text = Self.kilobyte
            var latencies: [Double] = []
            let clock = ContinuousClock()
            for index in 0..<(count + 20) {
                let started = clock.now
                let masked = try await node.call(
                    MaskRequest(scope: "bench-latency-\(run)-\(index % 50)", preset: preset, texts: [text]), to: .peer("trust"),
                    expecting: MaskResult.self, requestId: MessageID.random("req"))
                _ = try await node.call(
                    UnmaskRequest(scope: "bench-latency-\(run)-\(index % 50)", texts: masked.texts), to: .peer("trust"), expecting: UnmaskResult.self)
                let elapsed = clock.now - started
                if index >= 20 { latencies.append(elapsed.seconds * 1000) }
            }
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            print(String(format: "mask+unmask of %d bytes, %d round trips: p50 %.3f ms  p95 %.3f ms  p99 %.3f ms", text.utf8.count, count,
                         percentile(0.5), percentile(0.95), percentile(0.99)))
        }
    }

    /// Whether the provider would see none of `value`: it is gone, and no more letters or digits
    /// are left outside tokens than the text holds without it (so `[IPV6_1].20.148.154` is a
    /// miss, while a token that also took the brackets around a number is a find).
    static func maskedWhole(_ value: String, in text: String, masked: String) -> Bool {
        guard let range = text.range(of: value), !masked.contains(value) else { return false }
        func letters(_ text: String) -> Int { text.filter { $0.isLetter || $0.isNumber }.count }
        let outsideTokens = masked.replacingOccurrences(
            of: #"\[[A-Z][A-Z0-9_]*_\d+\]"#, with: "", options: .regularExpression)
        return letters(outsideTokens) <= letters(text.replacingCharacters(in: range, with: ""))
    }

    /// About 1 KB of support-conversation text with a handful of values to mask.
    static let kilobyte: String = {
        let base = """
            Hello, this is Ana Lima from Northwind Traders. My order O-5001 arrived damaged on 2024-05-12 and I would like a refund. \
            You can reach me at ana.lima@example.com or on +351 912 345 678 after 5 pm. Please refund the card 4111 1111 1111 1111 \
            or wire it to IBAN DE89 3704 0044 0532 0130 00. I logged in from 192.168.1.20 when I placed it, version 2.14.1 of the app. \
            The courier reference was 58213 and the box had the label ORD-123456. I have been a customer for six years and this is the \
            first time anything like this has happened, so I hope we can sort it out quickly. Thank you for your help, and have a good day. \
            P.S. my colleague jonas@example.org had the same problem with order O-5002 last week; his number is 415-555-2671.
            """
        var text = base
        while text.utf8.count < 1024 { text += " Thanks again." }
        return String(text.prefix(1024))
    }()
}
