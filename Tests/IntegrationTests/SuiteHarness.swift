import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts the six real service executables on free loopback ports with a temporary data
/// directory, and stops them (SIGTERM, then SIGKILL) when the test is done or fails. Each
/// child also gets `LOOM_PARENT_PID`, so it exits by itself if the test runner dies.
final class SuiteHarness: Sendable {
    static let services = ["trust", "gateway", "tools", "orchestrator", "router", "ingress"]
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let directory: URL
    let httpPort: Int
    let bus: [String: String]
    let environment: [String: String]
    /// The metadata the suite runs with, read once: it says which variables hold which service's secrets.
    let metadata: LoomMetadata
    let layout: SuiteLayout
    /// HTTP port of each ingress instance by instance name.
    let ingressPorts: [String: Int]
    /// The suite's bus keys: one per service instance and the operator the tests act as.
    let keys: BusKeyDirectory
    private let processes = Mutex<[String: Process]>([:])

    /// - Parameters:
    ///   - configDirectory: metadata to run with (the sample in `compose/` by default).
    ///   - extraIngresses: further ingress instances (`ingress-2`, …), each on its own HTTP port.
    init(configDirectory: URL? = nil, extraEnvironment: [String: String] = [:], extraIngresses: Int = 0) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-suite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        httpPort = try FreePort.next()
        var bus: [String: String] = [:]
        for service in ["router", "orchestrator", "trust", "gateway", "tools"] { bus[service] = "tcp://127.0.0.1:\(try FreePort.next())" }
        self.bus = bus
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        let config = configDirectory ?? Self.packageRoot.appendingPathComponent("compose")
        metadata = try LoomMetadata.load(directory: config)
        layout = try SuiteLayout.load(directory: config, environment: environment)
        environment["LOOM_CONFIG_DIR"] = config.path
        environment["LOOM_DATA_DIR"] = directory.appendingPathComponent("data").path
        environment["LOOM_HTTP_PORT"] = "\(httpPort)"
        environment["LOOM_PARENT_PID"] = "\(ProcessInfo.processInfo.processIdentifier)"
        for (service, endpoint) in bus { environment["LOOM_BUS_\(service.uppercased())"] = endpoint }
        var ingressPorts: [String: Int] = ["ingress": httpPort]
        for index in 0..<extraIngresses { ingressPorts["ingress-\(index + 2)"] = try FreePort.next() }
        self.ingressPorts = ingressPorts
        // Every process gets its own bus key, as `loom up` does it on first start.
        keys = BusKeyDirectory(directory.appendingPathComponent("keys", isDirectory: true))
        let extraMembers = ingressPorts.keys.filter { $0 != "ingress" }.map { BusIdentity(role: .ingress, instance: $0) }
        try keys.initialize(members: BusKeyDirectory.suiteMembers + extraMembers + [Self.testOrchestrator, Self.rogueTools])
        if environment["LOOM_BUS_INSECURE"] == nil { environment["LOOM_BUS_KEYS"] = keys.url.path }
        self.environment = environment
        do {
            for service in Self.services { try await start(service) }
            for index in 0..<extraIngresses { try await start("ingress-\(index + 2)") }
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    static func binary(_ name: String) -> URL {
        let dir = ProcessInfo.processInfo.environment["LOOM_BIN_DIR"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot.appendingPathComponent(".build/debug")
        return dir.appendingPathComponent(name)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }

    /// Starts `service`; an `ingress-N` name starts another ingress instance under that name.
    /// - Parameter waitUntilHealthy: false for a process expected to die on its own soon.
    func start(_ service: String, waitUntilHealthy: Bool = true) async throws {
        let process = Process()
        let isExtraIngress = service.hasPrefix("ingress-")
        process.executableURL = Self.binary(isExtraIngress ? "loom-ingress" : "loom-\(service)")
        var environment = environment
        if isExtraIngress {
            environment["LOOM_INSTANCE"] = service
            environment["LOOM_HTTP_PORT"] = "\(ingressPorts[service] ?? 0)"
        }
        // As `loom up` does it: from an allow-list, each secret only to the service that uses it.
        process.environment = ProcessEnvironment.allowed(
            for: service, from: environment, metadata: metadata, layout: layout)
        let log = directory.appendingPathComponent("\(service).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.withLock { $0[service] = process }
        if waitUntilHealthy { try await self.waitUntilHealthy(service, pid: process.processIdentifier) }
    }

    /// The process id of a running service.
    func processIdentifier(of service: String) -> Int32? {
        processes.withLock { $0[service].map(\.processIdentifier) }
    }

    /// SIGKILL: the process gets no chance to clean up.
    func kill(_ service: String) {
        guard let process = processes.withLock({ $0.removeValue(forKey: service) }) else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until `service` ended by itself (a crash point fired) and forgets its process.
    func waitUntilExited(_ service: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while processes.withLock({ $0[service]?.isRunning }) == true {
            guard ContinuousClock.now < deadline else { throw HarnessError("\(service) is still running") }
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = processes.withLock { $0.removeValue(forKey: service) }
    }

    func stop() {
        let all = processes.withLock { processes in
            defer { processes.removeAll() }
            return Array(processes.values)
        }
        for process in all where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while all.contains(where: \.isRunning) && Date() < deadline { usleep(20_000) }
        for process in all where process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        if ProcessInfo.processInfo.environment["LOOM_KEEP_TEST_DATA"] == nil { try? FileManager.default.removeItem(at: directory) }
    }

    func log(of service: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(service).log"), encoding: .utf8)) ?? ""
    }

    private func waitUntilHealthy(_ service: String, pid: Int32) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if service.hasPrefix("ingress") {
                if let response = try? await http("GET", "/health", port: ingressPorts[service]), response.status == 200 { return }
            } else if let health = try? await control(HealthQuery(), service: service, expecting: HealthResult.self, timeout: .milliseconds(300)),
                health.processId == pid
            {
                return
            }
            if processes.withLock({ $0[service]?.isRunning }) == false {
                throw HarnessError("\(service) exited during start-up:\n\(log(of: service))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("\(service) did not become healthy:\n\(log(of: service))")
    }

    // MARK: Talking to the suite

    struct HTTPResponse {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    func http(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = ["Content-Type": "application/json"], port: Int? = nil
    ) async throws -> HTTPResponse {
        let base = port.map { URL(string: "http://127.0.0.1:\($0)")! } ?? baseURL
        guard let url = URL(string: path, relativeTo: base) else { throw HarnessError("bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] { fields["\(key)".lowercased()] = "\(value)" }
        return HTTPResponse(status: http?.statusCode ?? 0, headers: fields, body: data)
    }

    func send(_ object: [String: Any], headers: [String: String] = [:], port: Int? = nil) async throws -> HTTPResponse {
        try await http(
            "POST", "/v1/messages", body: try JSONSerialization.data(withJSONObject: object),
            headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, port: port)
    }

    /// The bus security of `instance` in this suite's key directory (the operator by default).
    func busSecurity(as identity: BusIdentity = BusIdentity(role: .operator, instance: "operator")) throws -> BusSecurity {
        if environment["LOOM_BUS_INSECURE"] != nil { return .insecure(identity) }
        let rosterFile = keys.rosterFile
        let roster = try RosterStore { try String(contentsOf: rosterFile, encoding: .utf8) }
        return BusSecurity(identity: identity, mode: .curve(try keys.keyPair(of: identity.instance), roster))
    }

    /// A second orchestrator member, for tests that make the orchestrator's calls themselves
    /// (the real one holds the `orchestrator` routing id).
    static let testOrchestrator = BusIdentity(role: .orchestrator, instance: "test-orchestrator")
    static let operatorIdentity = BusIdentity(role: .operator, instance: "operator")
    /// A roster member of the tools role that no process runs: a stolen tools key.
    static let rogueTools = BusIdentity(role: .tools, instance: "rogue-tools")

    /// A control call to a running service over the bus, as `loom trace` makes it; `identity`
    /// is whose key the call is made with.
    func control<Reply: MessagePayload>(
        _ payload: any MessagePayload, service: String, expecting: Reply.Type, timeout: Duration = .seconds(10),
        as identity: BusIdentity = SuiteHarness.operatorIdentity
    ) async throws -> Reply {
        let engine = try BusEngine(name: "test-control", security: try busSecurity(as: identity))
        defer { engine.shutdown() }
        let routingId = identity.role == .operator ? "\(identity.instance).\(MessageID.random("test"))" : identity.instance
        let node = try await BusNode.start(engine: engine, instance: routingId, listen: nil, peers: [service: bus[service] ?? ""])
        let serving = Task { await node.serve(BusHandlers()) }
        defer { serving.cancel() }
        return try await node.call(payload, to: .peer(service), expecting: Reply.self, timeout: timeout, attempts: 1)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Loopback ports for a test's services, below the kernel's ephemeral range (``LoopbackPorts``).
enum FreePort {
    /// The first of `count` consecutive loopback ports that are all free now.
    static func consecutive(_ count: Int) throws -> Int {
        let range = LoopbackPorts.assignable
        for _ in 0..<200 {
            let base = Int.random(in: range.lowerBound..<(range.upperBound - count))
            if (base..<base + count).allSatisfy(LoopbackPorts.isFree) { return base }
        }
        throw HarnessError("no \(count) consecutive free ports")
    }

    static func isFree(_ port: Int) -> Bool { LoopbackPorts.isFree(port) }

    static func next() throws -> Int { try LoopbackPorts.next() }
}
