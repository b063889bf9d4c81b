import Foundation

/// The text `loom bench turns` prints: throughput and latency of the measured turns, then what
/// they cost each service, then the per-hop medians.
struct BenchTurnsReport {
    var scenario: String
    var concurrency: Int
    var turns: [TurnLoad.Turn]
    var elapsed: Duration
    var before: SuiteMeter.Snapshot
    var after: SuiteMeter.Snapshot
    var hops: HopBreakdown

    var text: String {
        let latencies = turns.map(\.latencyMs).sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let seconds = TurnLoad.milliseconds(elapsed) / 1000
        let count = max(turns.count, 1)
        let failed = turns.filter { $0.status != 200 }.count
        var lines = [
            "scenario: \(scenario), \(concurrency) caller(s); \(turns.count) turns measured in "
                + String(format: "%.1f s, %d not 200", seconds, failed),
            String(format: "throughput: %.1f turns/s", Double(turns.count) / max(seconds, 0.001)),
            String(
                format: "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", percentile(0.5), percentile(0.9),
                percentile(0.99), latencies.last ?? 0),
        ]
        var cpuTotal = 0.0
        var parts: [String] = []
        var resident = 0
        var peak = 0
        for service in SuiteMeter.services {
            guard let start = before.perService[service], let end = after.perService[service] else {
                parts.append("\(service) ?")
                continue
            }
            let cpu = (end.cpuMilliseconds - start.cpuMilliseconds) / Double(count)
            cpuTotal += cpu
            parts.append(String(format: "%@ %.2f", service, cpu))
            resident += end.residentKiB
            peak += end.peakResidentKiB
        }
        lines.append(String(format: "CPU ms per turn: %.2f all services (", cpuTotal) + parts.joined(separator: ", ") + ")")
        let storage = Double(after.storageBytes - before.storageBytes) / Double(count)
        lines.append(String(format: "storage per turn: %.0f bytes (pages in use in the six databases)", storage))
        lines.append(String(format: "RSS, all services: %.1f MiB now, %.1f MiB peak", Double(resident) / 1024, Double(peak) / 1024))
        if !hops.hops.isEmpty {
            lines.append("per hop, median ms:")
            for hop in hops.hops { lines.append(String(format: "  %8.2f  %@", hop.medianMs, hop.name)) }
        }
        return lines.joined(separator: "\n")
    }
}
