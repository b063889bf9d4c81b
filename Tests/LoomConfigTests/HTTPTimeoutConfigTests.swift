import Foundation
import LoomConfig
import Testing

/// The ingress's header, body and idle timeouts come from `suite.yaml` or the environment, and
/// only as positive numbers of seconds up to a day.
struct HTTPTimeoutConfigTests {
    func layout(_ yaml: String?, environment: [String: String] = [:]) throws -> SuiteLayout {
        let folder = try TemporaryFolder()
        if let yaml {
            try yaml.write(to: folder.url.appendingPathComponent("suite.yaml"), atomically: true, encoding: .utf8)
        }
        return try SuiteLayout.load(directory: folder.url, environment: environment)
    }

    @Test func defaultsFileAndEnvironment() throws {
        #expect(try layout(nil).http == SuiteLayout.HTTPTimeouts())
        let file = try layout("http:\n  headerTimeoutSeconds: 5\n  bodyTimeoutSeconds: 7.5\n  idleTimeoutSeconds: 90\n")
        #expect(file.http.headerSeconds == 5 && file.http.bodySeconds == 7.5 && file.http.idleSeconds == 90)
        let overridden = try layout("http: { headerTimeoutSeconds: 5 }", environment: ["LOOM_HTTP_HEADER_TIMEOUT": "2"])
        #expect(overridden.http.headerSeconds == 2)
    }

    @Test func nonPositiveOrNonNumericTimeoutsAreRefused() {
        #expect(throws: ConfigError.self) { try layout("http:\n  bodyTimeoutSeconds: 0\n") }
        #expect(throws: ConfigError.self) { try layout(nil, environment: ["LOOM_HTTP_IDLE_TIMEOUT": "soon"]) }
        #expect(throws: ConfigError.self) { try layout(nil, environment: ["LOOM_HTTP_HEADER_TIMEOUT": "-1"]) }
        #expect(throws: ConfigError.self) { try layout(nil, environment: ["LOOM_HTTP_BODY_TIMEOUT": "inf"]) }
        #expect(throws: ConfigError.self) { try layout(nil, environment: ["LOOM_HTTP_BODY_TIMEOUT": "1e300"]) }
        #expect(throws: ConfigError.self) { try layout("http: { idleTimeoutSeconds: .inf }") }
    }
}
