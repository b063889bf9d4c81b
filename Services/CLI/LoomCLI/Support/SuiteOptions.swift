import ArgumentParser
import Foundation
import LoomConfig

/// Where the running suite is: read from the same `suite.yaml` (and environment) the services use.
struct SuiteOptions: ParsableArguments {
    @Option(name: .long, help: "The metadata directory (suite.yaml, agents.yaml, …).")
    var config: String = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"

    @Option(name: .long, help: "Base URL of the ingress (defaults to the address in suite.yaml).")
    var url: String?

    func layout() throws -> SuiteLayout {
        try SuiteLayout.load(directory: URL(fileURLWithPath: config, isDirectory: true))
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
