import Foundation

/// The `loom` command line as a test runs it.
enum LoomProcess {
    /// Runs `loom` to its end (killed after two minutes), with stdout and stderr together.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = SuiteHarness.binary("loom")
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loom-check-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw HarnessError("cannot create \(output.path)")
        }
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var waited = 0
        while process.isRunning, waited < 1200 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
