import ArgumentParser
import Foundation
import LoomBus
import LoomContract

/// The bus's own round trip, in this process, over loopback TCP: a caller node and a callee
/// node on two engines (two libzmq contexts, as two processes would have), plain ZMTP or
/// CURVE with the ZAP handler and the kind table in the path.
struct BenchBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Request/reply round trips between two bus nodes over loopback, with and without CURVE.")

    @Option(help: "Round trips to time per mode.") var count = 5000
    @Option(help: "Unmeasured warm-up round trips per mode.") var warmup = 200

    func run() async throws {
        for curve in [false, true] {
            let latencies = try await Self.measure(curve: curve, count: count, warmup: warmup)
            func percentile(_ p: Double) -> Double {
                latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            }
            print(String(
                format: "%@: %d round trips, p50 %.1f µs  p90 %.1f µs  p99 %.1f µs  max %.1f µs",
                curve ? "CURVE" : "plain", latencies.count, percentile(0.5), percentile(0.9), percentile(0.99),
                latencies.last ?? 0))
        }
    }

    static func measure(curve: Bool, count: Int, warmup: Int) async throws -> [Double] {
        let callee = BusIdentity(role: .trust, instance: "trust")
        let caller = BusIdentity(role: .orchestrator, instance: "orchestrator")
        let (calleeSecurity, callerSecurity): (BusSecurity, BusSecurity)
        if curve {
            let (calleePair, callerPair) = (try CurveKeyPair.generate(), try CurveKeyPair.generate())
            var roster = BusRoster()
            roster.add(callee, publicKey: calleePair.publicKey)
            roster.add(caller, publicKey: callerPair.publicKey)
            calleeSecurity = BusSecurity(identity: callee, mode: .curve(calleePair, RosterStore(roster)))
            callerSecurity = BusSecurity(identity: caller, mode: .curve(callerPair, RosterStore(roster)))
        } else {
            (calleeSecurity, callerSecurity) = (.insecure(callee), .insecure(caller))
        }
        let calleeEngine = try BusEngine(name: "bench-callee", security: calleeSecurity)
        defer { calleeEngine.shutdown() }
        let server = try await BusNode.start(
            engine: calleeEngine, instance: "trust", listen: "tcp://127.0.0.1:*", peers: [:])
        let serving = Task {
            await server.serve(
                BusHandlers(request: { _, _ in HealthResult(service: "trust", instance: "trust", counters: [:]) }))
        }
        defer { serving.cancel() }
        let callerEngine = try BusEngine(name: "bench-caller", security: callerSecurity)
        defer { callerEngine.shutdown() }
        let client = try await BusNode.start(
            engine: callerEngine, instance: "orchestrator", listen: nil, peers: ["trust": server.listenEndpoint ?? ""])
        let reading = Task { await client.serve(BusHandlers()) }
        defer { reading.cancel() }
        // A mask call is the most frequent call of a turn; its payload size is typical.
        let payload = MaskRequest(
            scope: "ses_bench", preset: "standard", texts: [String(repeating: "a short line of text ", count: 20)])
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let clock = ContinuousClock()
        for index in 0..<(warmup + count) {
            let begin = clock.now
            _ = try await client.call(
                payload, to: .peer("trust"), expecting: HealthResult.self,
                correlation: Correlation(sessionId: "ses_bench"), timeout: .seconds(5), attempts: 1)
            if index >= warmup { latencies.append((clock.now - begin).seconds * 1_000_000) }
        }
        return latencies.sorted()
    }
}
