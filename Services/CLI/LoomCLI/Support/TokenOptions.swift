import ArgumentParser
import Foundation

/// The bearer token for the ingress's HTTP API: `--token`, else `LOOM_TOKEN`, else the
/// operator token `loom up` keeps in the data directory.
struct TokenOptions: ParsableArguments {
    @Option(help: "A bearer token for the ingress (default: LOOM_TOKEN, then the data directory's operator.token).")
    var token: String?

    func headers(_ suite: SuiteOptions) -> [String: String] {
        let environment = ProcessInfo.processInfo.environment["LOOM_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let kept = (try? suite.layout()).flatMap { OperatorToken.read(dataDirectory: $0.dataDirectory) }
        guard let token = token ?? environment ?? kept else { return [:] }
        return ["Authorization": "Bearer \(token)"]
    }
}
