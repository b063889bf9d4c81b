import ArgumentParser
import Foundation
import LoomConfig
import LoomContract
import LoomTools

/// What a command tool's sandbox costs per call: the same small program run through the whole
/// sandbox chain the tools service uses (setpriv when root, bwrap, loom-sandbox-exec, the
/// program) and started bare, alternating, with wall time and the CPU of every process involved.
struct BenchSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Per-call start overhead of a command tool's sandbox (p50/p99, CPU).")

    @Option(help: "Calls to time per mode.") var count = 200
    @Option(help: "Unmeasured warm-up calls per mode.") var warmup = 10
    @Option(help: "The program to run (it gets a small JSON object on stdin and echoes it).") var program = "/bin/cat"

    func run() async throws {
        let probe = SandboxProbe(exec: UpCommand.binDirectory().appendingPathComponent("loom-sandbox-exec"))
        let command = try CommandBackend(backend: ["executable": .string(program)])
        let input: JSONValue = .object(["country": .string("FR"), "weightKg": .number(2)])
        var samples: [Bool: [(wall: Double, cpu: Double)]] = [true: [], false: []]
        for index in 0..<(warmup + count) {
            for sandboxed in [true, false] {
                let (cpuBefore, begin) = (Self.childCPUSeconds(), ContinuousClock.now)
                let result = sandboxed
                    ? await probe.sandboxed(command, input: input) : await probe.bare(command, input: input)
                let wall = (ContinuousClock.now - begin).seconds
                guard result.success else {
                    throw ValidationError("\(sandboxed ? "sandboxed" : "bare") run failed: \(result.error ?? "?")")
                }
                if index >= warmup { samples[sandboxed]?.append((wall, Self.childCPUSeconds() - cpuBefore)) }
            }
        }
        let bare = Self.summary(samples[false] ?? [])
        let sandboxed = Self.summary(samples[true] ?? [])
        print("\(count) calls of \(program) per mode, alternating (+\(warmup) warm-up)")
        for (name, s) in [("bare", bare), ("sandboxed", sandboxed)] {
            print(String(format: "%@: wall ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f; CPU ms per call %.2f",
                name.padding(toLength: 9, withPad: " ", startingAt: 0), s.p50, s.p90, s.p99, s.max, s.cpu))
        }
        print(String(format: "sandbox overhead: p50 +%.2f ms  p99 +%.2f ms  CPU +%.2f ms per call",
            sandboxed.p50 - bare.p50, sandboxed.p99 - bare.p99, sandboxed.cpu - bare.cpu))
    }

    static func summary(_ samples: [(wall: Double, cpu: Double)]) -> (p50: Double, p90: Double, p99: Double, max: Double, cpu: Double) {
        let walls = samples.map { $0.wall * 1000 }.sorted()
        func percentile(_ p: Double) -> Double { walls.isEmpty ? 0 : walls[min(walls.count - 1, Int(Double(walls.count) * p))] }
        let cpu = samples.map(\.cpu).reduce(0, +) * 1000 / Double(max(samples.count, 1))
        return (percentile(0.5), percentile(0.9), percentile(0.99), walls.last ?? 0, cpu)
    }

    /// User and system CPU of every reaped descendant so far.
    static func childCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
