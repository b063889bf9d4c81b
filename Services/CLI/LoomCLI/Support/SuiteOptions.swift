import ArgumentParser
import Foundation
import LoomConfig

/// Where the running suite is. A suite started by `loom up` records its addresses
/// (``RunningSuite``); this finds that record from `--data-dir`, from `--url`, from the data
/// directory `suite.yaml` names, or as the only suite running, and falls back to the addresses in
/// `suite.yaml` (and environment) the services use by default.
struct SuiteOptions: ParsableArguments {
    @Option(name: .long, help: "The metadata directory (suite.yaml, agents.yaml, …).")
    var config: String = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"

    @Option(name: .long, help: "Base URL of the ingress (a suite started by `loom up` is found from it).")
    var url: String?

    @Option(name: .customLong("data-dir"), help: "The suite's data directory, as given to `loom up --data-dir`.")
    var dataDirectory: String?

    @Option(name: .customLong("bus-port"), help: "First of the suite's five bus ports, as given to `loom up --bus-port`.")
    var busPort: Int?

    /// The addresses in the metadata directory and environment alone.
    func configuredLayout() throws -> SuiteLayout {
        var environment = ProcessInfo.processInfo.environment
        if let busPort {
            for (service, endpoint) in SuiteLayout.busEndpoints(basePort: busPort) { environment["LOOM_BUS_\(service.uppercased())"] = endpoint }
        }
        var layout = try SuiteLayout.load(directory: URL(fileURLWithPath: config, isDirectory: true), environment: environment)
        layout.dataDirectory = Self.absolute(dataDirectory ?? layout.dataDirectory)
        return layout
    }

    /// The suite `loom up` recorded, when one this command points at is running.
    func runningSuite(_ configured: SuiteLayout) -> RunningSuite? {
        if busPort != nil { return nil }
        if dataDirectory != nil { return RunningSuite.read(RunningSuite.file(inDataDirectory: configured.dataDirectory)) }
        let registered = RunningSuite.registered()
        if let url {
            return registered.first { Self.sameOrigin($0.ingressURL, url) }
        }
        return RunningSuite.read(RunningSuite.file(inDataDirectory: configured.dataDirectory))
            ?? (registered.count == 1 ? registered[0] : nil)
    }

    func layout() throws -> SuiteLayout {
        var layout = try configuredLayout()
        guard let running = runningSuite(layout) else { return layout }
        layout.bus = running.bus
        layout.dataDirectory = running.dataDirectory
        if let url = URL(string: running.ingressURL), let host = url.host, let port = url.port {
            (layout.httpHost, layout.httpPort) = (host, port)
        }
        return layout
    }

    func ingressURL() throws -> URL {
        if let url {
            guard let parsed = URL(string: url), parsed.scheme != nil else { throw ValidationError("--url \(url) is not a URL") }
            return parsed
        }
        let layout = try layout()
        guard let url = URL(string: "http://\(layout.httpHost):\(layout.httpPort)") else {
            throw ValidationError("cannot form the ingress URL from \(layout.httpHost):\(layout.httpPort)")
        }
        return url
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func sameOrigin(_ a: String, _ b: String) -> Bool {
        guard let a = URL(string: a), let b = URL(string: b) else { return false }
        func host(_ url: URL) -> String { url.host == "localhost" ? "127.0.0.1" : url.host ?? "" }
        return host(a) == host(b) && a.port == b.port
    }
}
