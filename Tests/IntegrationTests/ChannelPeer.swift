import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The providers' side of the channels: a Python process (`Peers/channel_peer.py`) serving
/// Slack's, Twilio's and the WhatsApp Cloud API's reply endpoints over HTTP and a real SMTP
/// server (aiosmtpd), recording what it receives.
final class ChannelPeer: Sendable {
    let httpPort: Int
    let smtpPort: Int
    private let process: Process

    struct Received {
        var kind: String
        var path: String
        var headers: [String: String]
        var body: String
        var failed: Bool
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
        var form: [String: String] {
            Dictionary(
                body.split(separator: "&").map {
                    let pair = $0.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                    return (pair[0], pair.count > 1 ? pair[1] : "")
                }, uniquingKeysWith: { a, _ in a })
        }
    }

    init() async throws {
        httpPort = try FreePort.next()
        smtpPort = try FreePort.next()
        let script = SuiteHarness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Peers/channel_peer.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--http-port", "\(httpPort)", "--smtp-port", "\(smtpPort)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if (try? await received()) != nil { return }
            guard process.isRunning else {
                throw HarnessError("the channel peer exited; is aiosmtpd installed (pip install aiosmtpd)?")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("the channel peer did not start")
    }

    deinit { stop() }

    /// SIGKILL: a child started from the test runner may inherit a blocked SIGTERM.
    func stop() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var baseURL: String { "http://127.0.0.1:\(httpPort)" }

    func received() async throws -> [Received] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(baseURL)/_received")!)
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { throw HarnessError("bad /_received") }
        return list.map {
            let body = $0["body"] as? String ?? $0["content"] as? String ?? ""
            return Received(
                kind: $0["kind"] as? String ?? "", path: $0["path"] as? String ?? "",
                headers: $0["headers"] as? [String: String] ?? [:], body: body, failed: $0["failed"] as? Bool ?? false)
        }
    }

    /// Waits until `count` successful calls matching `filter` have arrived, and returns them.
    func await(_ count: Int = 1, timeout: Duration = .seconds(20), _ filter: @escaping (Received) -> Bool) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        var matching: [Received] = []
        while ContinuousClock.now < deadline {
            matching = try await received().filter { !$0.failed && filter($0) }
            if matching.count >= count { return matching }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("expected \(count) call(s), saw \(matching.count)")
    }

    /// The next `count` calls under `prefix` fail with `status`.
    func fail(prefix: String, status: Int, count: Int, retryAfter: Int? = nil) async throws {
        var request = URLRequest(url: URL(string: "\(baseURL)/_fail")!)
        request.httpMethod = "POST"
        var rule: [String: Any] = ["prefix": prefix, "status": status, "count": count]
        if let retryAfter { rule["retryAfter"] = retryAfter }
        request.httpBody = try JSONSerialization.data(withJSONObject: rule)
        _ = try await URLSession.shared.data(for: request)
    }
}
