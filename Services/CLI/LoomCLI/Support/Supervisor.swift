import Foundation
import LoomConfig
import LoomContract
import Synchronization

/// Runs the six service processes of a local suite: starts them in dependency order, waits
/// for each to answer a health check, prefixes and forwards their logs, restarts a crashed
/// service with backoff, and stops them all on SIGINT/SIGTERM.
final class Supervisor: Sendable {
    /// Callees before callers, so each service finds its peers up when it starts.
    static let startOrder = ["trust", "gateway", "tools", "orchestrator", "router", "ingress"]

    let binDirectory: URL
    let configDirectory: URL
    let layout: SuiteLayout
    let environment: [String: String]
    let metadata: LoomMetadata
    /// Service → what its launch starts with (`setpriv …` for a service under its own user).
    let launchPrefixes: [String: [String]]
    /// Where the services' and the supervisor's lines go: standard output unless a file is given.
    private let logDestination: FileHandle
    private let state = Mutex<State>(State())
    private let output = Mutex<Void>(())

    struct State {
        var processes: [String: Process] = [:]
        var restarts: [String: Int] = [:]
        var stopping = false
    }

    init(
        binDirectory: URL, configDirectory: URL, layout: SuiteLayout, metadata: LoomMetadata,
        extraEnvironment: [String: String], launchPrefixes: [String: [String]] = [:],
        logDestination: FileHandle = .standardOutput
    ) {
        self.launchPrefixes = launchPrefixes
        self.metadata = metadata
        self.logDestination = logDestination
        self.binDirectory = binDirectory
        self.configDirectory = configDirectory
        self.layout = layout
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment["LOOM_PARENT_PID"] = "\(getpid())"
        environment["LOOM_CONFIG_DIR"] = configDirectory.path
        self.environment = environment
    }

    /// Starts everything and returns once every service answered its health check.
    func start() async throws {
        for service in Self.startOrder {
            try launch(service)
            try await waitUntilHealthy(service, timeout: .seconds(60))
            log("loom", "\(service) is ready")
        }
    }

    /// Stops every service: SIGTERM in reverse start order, SIGKILL for any still alive after the grace period.
    func stop(grace: Duration = .seconds(10)) async {
        let processes = state.withLock { state -> [(String, Process)] in
            state.stopping = true
            return Self.startOrder.reversed().compactMap { name in state.processes[name].map { (name, $0) } }
        }
        for (_, process) in processes where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while processes.contains(where: { $0.1.isRunning }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for (name, process) in processes where process.isRunning {
            log("loom", "\(name) did not stop in time; killing it")
            kill(process.processIdentifier, SIGKILL)
        }
    }

    private func launch(_ service: String) throws {
        let process = Process()
        let binary = binDirectory.appendingPathComponent("loom-\(service)")
        // A prefix execs the service in the same process, so its pid is the one health checks expect.
        let command = (launchPrefixes[service] ?? []) + [binary.path, "--config", configDirectory.path]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        // Built from an allow-list: each secret reaches only the service that uses it.
        process.environment = ProcessEnvironment.allowed(
            for: service, from: environment, metadata: metadata, layout: layout)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        Self.forwardLines(of: pipe.fileHandleForReading) { [weak self] line in self?.log(service, line) }
        process.terminationHandler = { [weak self] process in
            self?.exited(service, status: process.terminationStatus, reason: process.terminationReason)
        }
        try process.run()
        state.withLock { $0.processes[service] = process }
    }

    private func exited(_ service: String, status: Int32, reason: Process.TerminationReason) {
        let (stopping, attempt) = state.withLock { state -> (Bool, Int) in
            let attempt = state.restarts[service, default: 0]
            if !state.stopping { state.restarts[service] = attempt + 1 }
            return (state.stopping, attempt)
        }
        guard !stopping else { return }
        let how = reason == .uncaughtSignal ? "was killed by signal \(status)" : "exited with status \(status)"
        let delay = min(30.0, 0.5 * pow(2.0, Double(min(attempt, 6))))
        log("loom", "\(service) \(how); restarting in \(String(format: "%.1f", delay)) s")
        Task {
            try? await Task.sleep(for: .seconds(delay))
            guard !self.state.withLock({ $0.stopping }) else { return }
            do {
                try self.launch(service)
                try await self.waitUntilHealthy(service, timeout: .seconds(60))
                self.log("loom", "\(service) is ready again")
                // A service that comes back healthy earns a fresh backoff.
                self.state.withLock { $0.restarts[service] = 0 }
            } catch {
                self.log("loom", "\(service) did not come back: \(error)")
            }
        }
    }

    /// Reads a service's output on a thread of its own with blocking reads until the pipe ends.
    /// A `readabilityHandler` would put the pipe under a libdispatch read source, whose teardown
    /// as a service exits can race the descriptor's close and crash the supervisor (SIGSEGV or
    /// SIGILL in `_dispatch_event_loop_drain`); a blocking read registers nothing.
    private static func forwardLines(of handle: FileHandle, to line: @escaping @Sendable (String) -> Void) {
        let buffer = LineBuffer()
        let reader = Thread {
            // One read(2) at a time, so each line is logged as soon as it is written; an error
            // other than an interruption ends the forwarding like the end of the stream does.
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                for text in buffer.append(Data(chunk[0..<count])) { line(text) }
            }
            // The last line of a service that died mid-write still reaches the log.
            if let rest = buffer.remainder() { line(rest) }
            try? handle.close()
        }
        reader.name = "loom-log-reader"
        reader.start()
    }

    func waitUntilHealthy(_ service: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.processes[service]?.isRunning == false }) {
                throw SupervisorError(message: "\(service) exited during start-up (see its log above)")
            }
            if await isHealthy(service) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SupervisorError(message: "\(service) did not become healthy within \(timeout)")
    }

    /// The process id of the service's current process, running or not (nil before its first launch).
    func processIdentifier(of service: String) -> Int32? {
        state.withLock { $0.processes[service]?.processIdentifier }
    }

    /// Whether the service's current process answers its health check (a stale one does not count).
    func isHealthy(_ service: String) async -> Bool {
        if service == "ingress" {
            guard let url = URL(string: "http://\(layout.httpHost):\(layout.httpPort)/health") else { return false }
            guard let response = try? await HTTPClient.get(url, timeout: 1), response.status == 200 else { return false }
            let expected = state.withLock { $0.processes[service]?.processIdentifier }
            return (response.json?["processId"] as? String) == expected.map { "\($0)" }
        }
        let health = try? await ControlClient.call(
            HealthQuery(), service: service, layout: layout, expecting: HealthResult.self, timeout: .milliseconds(500))
        // Only the process we launched counts: a stale one still holding the port does not.
        let expected = state.withLock { $0.processes[service]?.processIdentifier }
        return health != nil && health?.processId == expected
    }

    func log(_ source: String, _ line: String) {
        output.withLock { _ in
            let padded = source.padding(toLength: 12, withPad: " ", startingAt: 0)
            logDestination.write(Data("\(padded)| \(line)\n".utf8))
        }
    }
}

struct SupervisorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Splits a byte stream into lines, keeping a partial last line for the next chunk.
final class LineBuffer: Sendable {
    private let pending = Mutex<Data>(Data())

    func append(_ data: Data) -> [String] {
        pending.withLock { pending in
            pending.append(data)
            var lines: [String] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
            return lines
        }
    }

    /// What is left without a newline, once the stream has ended.
    func remainder() -> String? {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
        }
    }
}
