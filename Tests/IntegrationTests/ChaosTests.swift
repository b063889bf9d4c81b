import Foundation
import Testing

extension IntegrationSuites {
    /// `loom bench chaos` as a user runs it: its own suite, side-effecting turns, and SIGKILLs of
    /// the orchestrator, the tools service and the router while turns are in flight.
    @Suite(.serialized) struct ChaosTests {
        /// Runs `loom bench chaos` with these options against the sample metadata; returns its
        /// JSON report and everything it printed, after checking that it exited 0.
        func chaos(_ options: [String], timeout: Duration) async throws -> (report: [String: Any], output: String) {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("loom-chaos-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let reportFile = directory.appendingPathComponent("report.json")
            let outputFile = directory.appendingPathComponent("output.log")
            let bench = try BenchProcess(
                arguments: ["bench", "chaos", "--config", SuiteHarness.packageRoot.appendingPathComponent("compose").path]
                    + options + ["--report-file", reportFile.path],
                output: outputFile)
            defer { bench.stop() }

            let status = try await bench.wait(timeout: timeout)
            let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
            #expect(status == 0, "loom bench chaos exited with \(status):\n\(output)")
            let data = try Data(contentsOf: reportFile)
            let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(output)")
            return (report, output)
        }

        @Test func killedServicesLoseNoTurnAndActOncePerTurn() async throws {
            let (report, output) = try await chaos(
                ["--turns", "30", "--in-flight", "4", "--kill", "orchestrator,tools,router", "--turn-timeout", "40"],
                timeout: .seconds(100))
            func count(_ key: String) -> Int { report[key] as? Int ?? -1 }
            #expect(count("turns") == 30)
            #expect(count("lost") == 0, "\(output)")
            #expect(count("duplicates") == 0, "\(output)")
            #expect(count("doneWithoutEffect") == 0, "\(output)")
            #expect(count("notAccepted") == 0, "\(output)")
            #expect(count("accepted") == 30 && count("completed") + count("failed") == 30, "\(output)")
            let recoveries = report["recoveries"] as? [[String: Any]] ?? []
            let killed = recoveries.compactMap { $0["service"] as? String }
            #expect(killed == ["orchestrator", "tools", "router"], "\(output)")
            #expect(recoveries.allSatisfy { $0["recoveredAfter"] is Double }, "\(output)")
        }

        /// The tools service's disk is full for a few seconds while side-effecting turns run: each
        /// turn acts once, or tells its user that it could not; none says "done" without acting.
        /// Mounting the small filesystem that fills needs root.
        @Test(.enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
        func aFullDiskUnderTheToolsNeverYieldsDoneWithoutTheEffect() async throws {
            let (report, output) = try await chaos(
                [
                    "--turns", "40", "--in-flight", "4", "--rounds", "0", "--full-disk", "tools",
                    "--full-disk-seconds", "3", "--turn-timeout", "60",
                ],
                timeout: .seconds(150))
            func count(_ key: String) -> Int { report[key] as? Int ?? -1 }
            #expect(count("doneWithoutEffect") == 0 && count("duplicates") == 0 && count("lost") == 0, "\(output)")
            #expect(count("completed") + count("reportedFailures") + count("failed") == 40, "\(output)")
            #expect(count("completed") == count("sideEffects"), "\(output)")
            #expect((report["fullDisk"] as? [[String: Any]])?.count == 1, "\(output)")
        }
    }
}

/// The `loom` executable run as a child; `stop()` ends it (SIGINT, so it stops its suite, then
/// SIGKILL). Its services watch its pid and exit by themselves if it dies anyway.
final class BenchProcess: Sendable {
    private let process: Process

    init(arguments: [String], output: URL) throws {
        let process = Process()
        process.executableURL = SuiteHarness.binary("loom")
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    /// The exit status, once it exited within `timeout`.
    func wait(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw HarnessError("loom did not finish within \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return process.terminationStatus
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
