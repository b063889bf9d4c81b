import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the running suite.", subcommands: [Turns.self])

    struct Turns: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sequential conversational turns through HTTP: end-to-end latency percentiles.")

        @OptionGroup var suite: SuiteOptions
        @Option(help: "The agent to talk to.") var agent = "support"
        @Option(help: "How many turns to measure.") var count = 1000
        @Option(help: "Unmeasured warm-up turns.") var warmup = 20
        @Option(name: .customLong("turns-per-session"), help: "Start a new session after this many turns.") var turnsPerSession = 20

        func run() async throws {
            let url = try suite.ingressURL().appendingPathComponent("v1/messages")
            let run = UUID().uuidString.prefix(8).lowercased()
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            var failures = 0
            let clock = ContinuousClock()
            let started = clock.now
            for index in 0..<(warmup + count) {
                let key = "bench-\(run)-\(index / turnsPerSession)"
                let text = index % 2 == 0 ? "Hi, my email is user\(index)@example.com" : "What did I say?"
                let begin = clock.now
                let response = try await HTTPClient.postJSON(url, ["agent": agent, "text": text, "sessionKey": key])
                let elapsed = clock.now - begin
                if response.status != 200 { failures += 1 }
                if index >= warmup { latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15) }
            }
            let total = clock.now - started
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            print("turns: \(count) measured (+\(warmup) warm-up), \(failures) non-200")
            print(String(format: "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f",
                percentile(0.50), percentile(0.90), percentile(0.99), latencies.last ?? 0, latencies.reduce(0, +) / Double(max(latencies.count, 1))))
            let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            print(String(format: "throughput: %.1f turns/s (sequential)", Double(warmup + count) / seconds))
        }
    }
}
