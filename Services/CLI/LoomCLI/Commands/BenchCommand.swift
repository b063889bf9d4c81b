import ArgumentParser
import Crypto
import Foundation
import Synchronization

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the running suite.", subcommands: [
            BenchTurnsCommand.self, Webhooks.self, BenchPIICommand.self, BenchBusCommand.self, BenchChaosCommand.self,
            BenchSandboxCommand.self,
            BenchMcpCommand.self,
        ])

    /// Slack-signed webhook deliveries, several at a time: how long until each is durably
    /// accepted (signature checked, router committed), first as new events, then replayed.
    struct Webhooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Concurrent signed Slack webhooks: intake latency for new and for replayed (deduplicated) events.")

        @OptionGroup var suite: SuiteOptions
        @Option(help: "The Slack endpoint's name.") var endpoint = "slack"
        @Option(help: "The endpoint's signing secret.") var secret: String
        @Option(help: "How many events.") var count = 1000
        @Option(help: "Requests in flight at once.") var concurrency = 8

        func run() async throws {
            let url = try suite.ingressURL().appendingPathComponent("hooks/\(endpoint)")
            let run = UUID().uuidString.prefix(8).lowercased()
            let bodies = try (0..<count).map { index in
                try JSONSerialization.data(withJSONObject: [
                    "type": "event_callback", "event_id": "Ev\(run)\(index)",
                    "event": ["type": "message", "user": "U1", "channel": "CB\(run)", "text": "hello \(index)", "ts": "1700000000.\(index)"],
                ])
            }
            for phase in ["new", "replayed"] {
                let (latencies, failures, seconds) = try await measure(url: url, bodies: bodies)
                print("\(phase): \(latencies.count) webhooks, \(failures) non-200, concurrency \(concurrency)")
                func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
                print(String(format: "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0))
                print(String(format: "  throughput: %.1f webhooks/s", Double(latencies.count) / seconds))
            }
        }

        private func measure(url: URL, bodies: [Data]) async throws -> ([Double], Int, Double) {
            let clock = ContinuousClock()
            let started = clock.now
            let next = NextIndex()
            let results = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var measured: [(Double, Bool)] = []
                        while let index = next.take(below: bodies.count) {
                            let body = bodies[index]
                            let timestamp = "\(Int(Date().timeIntervalSince1970))"
                            let mac = HMAC<SHA256>.authenticationCode(
                                for: Data("v0:\(timestamp):".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
                            let begin = clock.now
                            let response = try await HTTPClient.post(
                                url, body: body,
                                headers: [
                                    "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
                                    "X-Slack-Signature": "v0=" + mac.map { String(format: "%02x", $0) }.joined(),
                                ])
                            let elapsed = clock.now - begin
                            measured.append((Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000, response.status == 200))
                        }
                        return measured
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let total = clock.now - started
            return (
                results.map(\.0).sorted(), results.filter { !$0.1 }.count,
                Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            )
        }
    }
}

/// Hands out indexes to concurrent workers.
private final class NextIndex: Sendable {
    private let value = Mutex(0)

    func take(below limit: Int) -> Int? {
        value.withLock { value in
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
