import Foundation
import LoomBus
import LoomConfig

/// A suite of its own for a chaos run, as `loom up` starts one, but in a fresh temporary data
/// directory and on loopback ports the kernel just handed out, so it never meets a suite the
/// user already runs. The services' lines go to `<data>/suite.log`, not to the terminal.
struct ChaosSuite: Sendable {
    let supervisor: Supervisor
    let layout: SuiteLayout
    let dataDirectory: URL
    let baseURL: URL
    let logFile: URL
    private let logHandle: FileHandle

    /// Lays the suite out; `start()` launches it.
    static func prepare(configDirectory: URL, metadata: LoomMetadata) throws -> ChaosSuite {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loom-chaos-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(
            at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ports = try LoopbackPorts.free(count: 1 + SuiteLayout.services.count)
        var overrides = [
            "LOOM_DATA_DIR": dataDirectory.path, "LOOM_HTTP_HOST": "127.0.0.1", "LOOM_HTTP_PORT": "\(ports[0])",
        ]
        for (offset, service) in SuiteLayout.services.enumerated() {
            overrides["LOOM_BUS_\(service.uppercased())"] = "tcp://127.0.0.1:\(ports[offset + 1])"
        }
        let environment = ProcessInfo.processInfo.environment.merging(overrides) { $1 }
        let layout = try SuiteLayout.load(directory: configDirectory, environment: environment)
        try UpCommand.prepareBusKeys(layout)
        let operatorConfigured = metadata.clients.contains { $0.role == .operator }
            || environment[OperatorToken.variable] != nil
        if !operatorConfigured {
            overrides[OperatorToken.variable] = try OperatorToken.loadOrCreate(dataDirectory: layout.dataDirectory)
        }
        let logFile = dataDirectory.appendingPathComponent("suite.log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw SupervisorError(message: "cannot create \(logFile.path)")
        }
        let logHandle = try FileHandle(forWritingTo: logFile)
        let supervisor = Supervisor(
            binDirectory: UpCommand.binDirectory(), configDirectory: configDirectory, layout: layout,
            metadata: metadata, extraEnvironment: overrides, logDestination: logHandle)
        guard let baseURL = URL(string: "http://127.0.0.1:\(ports[0])") else {
            throw SupervisorError(message: "cannot form the ingress URL for port \(ports[0])")
        }
        return ChaosSuite(
            supervisor: supervisor, layout: layout, dataDirectory: dataDirectory, baseURL: baseURL, logFile: logFile,
            logHandle: logHandle)
    }

    func start() async throws {
        supervisor.log("loom", "starting the chaos suite (data \(dataDirectory.path))")
        try await supervisor.start()
    }

    func stop() async {
        await supervisor.stop()
        supervisor.log("loom", "stopped")
    }

    /// Removes the data directory (after `stop()`).
    func remove() throws {
        try FileManager.default.removeItem(at: dataDirectory)
    }
}
