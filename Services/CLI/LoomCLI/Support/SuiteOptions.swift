import ArgumentParser
import Foundation
import LoomConfig

/// Where the running suite is: read from the same `suite.yaml` (and environment) the services use.
struct SuiteOptions: ParsableArguments {
    @Option(name: .long, help: "The metadata directory (suite.yaml, agents.yaml, …).")
    var config: String = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"

    @Option(name: .long, help: "Base URL of the ingress (defaults to the address in suite.yaml).")
    var url: String?

    @Option(name: .customLong("bus-port"), help: "First of the suite's five bus ports, as given to `loom up --bus-port`.")
    var busPort: Int?

    func layout() throws -> SuiteLayout {
        var environment = ProcessInfo.processInfo.environment
        if let busPort {
            for (service, endpoint) in SuiteLayout.busEndpoints(basePort: busPort) { environment["LOOM_BUS_\(service.uppercased())"] = endpoint }
        }
        return try SuiteLayout.load(directory: URL(fileURLWithPath: config, isDirectory: true), environment: environment)
    }

    func ingressURL() throws -> URL {
        if let url, let parsed = URL(string: url) { return parsed }
        let layout = try layout()
        guard let url = URL(string: "http://\(layout.httpHost):\(layout.httpPort)") else {
            throw ValidationError("cannot form the ingress URL from \(layout.httpHost):\(layout.httpPort)")
        }
        return url
    }
}
