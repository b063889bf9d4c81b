import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A suite started the way a user starts one: `loom up` on free ports with a temporary data
/// directory, waited for until its six services run and the ingress answers. `stop()` kills
/// `loom up` and every service it started.
final class LoomUpSuite: @unchecked Sendable {
    let process = Process()
    let httpPort: Int
    let data: URL
    let logFile: URL
    /// Executable name → pid of each service.
    private(set) var services: [String: Int32] = [:]

    /// Where `loom up` and the commands run here register running suites.
    let stateDirectory: URL

    init(config: URL, environment: [String: String] = [:]) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loom-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        data = root.appendingPathComponent("data")
        logFile = root.appendingPathComponent("up.log")
        stateDirectory = root.appendingPathComponent("state")
        httpPort = try FreePort.next()
        let busPort = try FreePort.consecutive(5)
        process.executableURL = SuiteHarness.binary("loom")
        process.arguments = [
            "up", "--config", config.path, "--data-dir", data.path, "--http-port", "\(httpPort)", "--bus-port", "\(busPort)",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .merging(["LOOM_STATE_DIR": stateDirectory.path]) { $1 }
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw HarnessError("cannot write \(logFile.path)")
        }
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            services = Dictionary(
                ProcessTree.children(of: process.processIdentifier).compactMap { pid in
                    ProcessTree.executableName(of: pid).map { ($0, pid) }
                }, uniquingKeysWith: { a, _ in a })
            if services.count == 6, await healthy() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        stop()
        throw HarnessError("loom up did not start six services: \(services)\n\(output)")
    }

    var output: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func healthy() async -> Bool {
        guard let url = URL(string: "http://127.0.0.1:\(httpPort)/health"),
            let (_, response) = try? await URLSession.shared.data(from: url)
        else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// Posts a turn to `/v1/messages` and returns the JSON reply.
    func send(_ body: String) async throws -> [String: Any] {
        guard let url = URL(string: "http://127.0.0.1:\(httpPort)/v1/messages") else { throw HarnessError("bad url") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (reply, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: reply) as? [String: Any]) ?? [:]
    }

    /// Runs `loom ARGS` the way a user would beside this suite; returns its status and output.
    func loom(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let command = Process()
        command.executableURL = SuiteHarness.binary("loom")
        command.arguments = arguments
        command.environment = ProcessInfo.processInfo.environment.merging(["LOOM_STATE_DIR": stateDirectory.path]) { $1 }
        let output = Pipe()
        command.standardOutput = output
        command.standardError = output
        let stdin = Pipe()
        command.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try command.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        command.waitUntilExit()
        return (command.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Ctrl-C as a terminal sends it: SIGINT to `loom up` and every service at once. Returns
    /// whether `loom up` exited (within a generous bound) and with what status.
    func interrupt() async -> (exited: Bool, status: Int32) {
        for pid in [process.processIdentifier] + ProcessTree.children(of: process.processIdentifier) { kill(pid, SIGINT) }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (!process.isRunning, process.isRunning ? -1 : process.terminationStatus)
    }

    func stop() {
        let pids = ProcessTree.children(of: process.processIdentifier)
        kill(process.processIdentifier, SIGKILL)
        for pid in pids { kill(pid, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: data.deletingLastPathComponent())
    }
}

/// Reading other processes through /proc: children, executable names and environments.
enum ProcessTree {
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }

    static func executableName(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), let first = data.split(separator: 0).first else { return nil }
        return URL(fileURLWithPath: String(decoding: first, as: UTF8.self)).lastPathComponent
    }

    static func environment(of pid: Int32) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
        return Dictionary(
            data.split(separator: 0).compactMap { entry in
                let text = String(decoding: entry, as: UTF8.self)
                guard let equals = text.firstIndex(of: "=") else { return nil }
                return (String(text[..<equals]), String(text[text.index(after: equals)...]))
            }, uniquingKeysWith: { a, _ in a })
    }
}
