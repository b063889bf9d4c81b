import ArgumentParser
import Dispatch
import Foundation
import LoomBus
import LoomConfig

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Start the whole suite locally and supervise it until Ctrl-C.")

    @Option(help: "The metadata directory.") var config = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"
    @Option(name: .customLong("data-dir"), help: "Where the services keep their databases (default from suite.yaml).") var dataDirectory: String?
    @Option(name: .customLong("http-port"), help: "The ingress HTTP port (default from suite.yaml).") var httpPort: Int?
    @Option(name: .customLong("bus-port"), help: "First of five consecutive loopback ports for the bus (default from suite.yaml).")
    var busPort: Int?

    /// The metadata, or exit status 2 with the file, line and key that are wrong.
    static func loadMetadata(_ directory: URL) throws -> LoomMetadata {
        do {
            return try LoomMetadata.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    func run() async throws {
        let configDirectory = URL(fileURLWithPath: config, isDirectory: true).standardizedFileURL
        let metadata = try Self.loadMetadata(configDirectory)
        var overrides: [String: String] = [:]
        if let dataDirectory { overrides["LOOM_DATA_DIR"] = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path }
        if let httpPort { overrides["LOOM_HTTP_PORT"] = "\(httpPort)" }
        if let busPort {
            for (service, endpoint) in SuiteLayout.busEndpoints(basePort: busPort) { overrides["LOOM_BUS_\(service.uppercased())"] = endpoint }
        }
        let environment = ProcessInfo.processInfo.environment.merging(overrides) { $1 }
        var layout = try SuiteLayout.load(directory: configDirectory, environment: environment)
        // Relative data directories are resolved once here so every service agrees on them.
        layout.dataDirectory = URL(fileURLWithPath: layout.dataDirectory).standardizedFileURL.path
        overrides["LOOM_DATA_DIR"] = layout.dataDirectory
        do {
            try Self.prepareBusKeys(layout)
        } catch {
            FileHandle.standardError.write(Data("loom up: bus keys: \(error)\n".utf8))
            throw ExitCode(2)
        }
        // Admin endpoints need an operator token; without one in the metadata, one is made here.
        let operatorConfigured = metadata.clients.contains { $0.role == .operator }
            || environment[OperatorToken.variable] != nil
        if !operatorConfigured {
            overrides[OperatorToken.variable] = try OperatorToken.loadOrCreate(dataDirectory: layout.dataDirectory)
        }

        let binDirectory = Self.binDirectory()
        let confinement: ToolsConfinement.Decision
        do {
            confinement = try ToolsConfinement.arrange(layout: layout, configDirectory: configDirectory, binDirectory: binDirectory)
        } catch {
            FileHandle.standardError.write(Data("loom up: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var prefixes: [String: [String]] = [:]
        if case .confined(let user) = confinement { prefixes["tools"] = user.launchPrefix }
        let supervisor = Supervisor(
            binDirectory: binDirectory, configDirectory: configDirectory, layout: layout, metadata: metadata,
            extraEnvironment: overrides, launchPrefixes: prefixes)
        let stopSignals = Self.stopSignals()
        supervisor.log("loom", "starting the suite (config \(configDirectory.path), data \(layout.dataDirectory))")
        switch confinement {
        case .confined(let user):
            supervisor.log(
                "loom", "tools runs as \(user.name) (uid \(user.uid)) with no_new_privs and no capabilities; "
                    + "it owns \(layout.dataDirectory)/tools and its bus key, and cannot read the other services' files")
        case .unconfined(let reason):
            supervisor.log("loom", "tools runs as this user: \(reason)")
        }
        do {
            try await supervisor.start()
        } catch {
            supervisor.log("loom", "start-up failed: \(error)")
            await supervisor.stop()
            throw ExitCode(1)
        }
        let base = "http://\(layout.httpHost):\(layout.httpPort)"
        supervisor.log("loom", "suite is up. Talk to it:")
        supervisor.log("loom", "  curl -s \(base)/v1/messages -H 'content-type: application/json' \\")
        supervisor.log("loom", "    -d '{\"agent\":\"support\",\"text\":\"Hi, my email is ana@example.com\",\"sessionKey\":\"demo-1\"}'")
        supervisor.log("loom", "  loom chat --agent support --url \(base)")
        if !operatorConfigured {
            let file = OperatorToken.file(in: layout.dataDirectory).path
            supervisor.log("loom", "Drafts, cancel and session close over HTTP take the operator token in \(file):")
            supervisor.log("loom", "  curl -s \(base)/v1/drafts -H \"Authorization: Bearer $(cat \(file))\"")
        }
        let running = RunningSuite(
            ingressURL: base, bus: layout.bus, dataDirectory: layout.dataDirectory, processId: getpid())
        do {
            try running.write()
        } catch {
            supervisor.log("loom", "could not record where the suite listens (\(error)); other commands need --url or --bus-port")
        }
        defer { running.remove() }
        supervisor.log("loom", "Press Ctrl-C to stop.")
        for await signal in stopSignals {
            supervisor.log("loom", "received \(signal == SIGINT ? "SIGINT" : "SIGTERM"); stopping the suite")
            break
        }
        await supervisor.stop()
        supervisor.log("loom", "stopped")
    }

    /// On first start, writes the suite's keys into the key directory (`<data>/keys` unless
    /// configured) so the bus is authenticated from the start; keys given by reference are
    /// the operator's to provision.
    static func prepareBusKeys(_ layout: SuiteLayout) throws {
        let settings = layout.busSecurity
        guard !settings.insecure, settings.roster == nil, settings.secretKey == nil else { return }
        let keys = BusKeyDirectory(settings.keysDirectory(dataDirectory: layout.dataDirectory))
        try keys.initialize()
    }

    /// The folder holding this executable; the service executables are built beside it.
    static func binDirectory() -> URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    static func stopSignals() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            SignalSources.keep(source)
        }
        return stream
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()

    static func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        defer { lock.unlock() }
        sources.append(source)
    }
}
