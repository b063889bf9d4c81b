import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The model providers' side: a Python process (`Peers/provider_peer.py`) speaking OpenAI's
/// chat completions and moderations and Anthropic's messages, whole and streamed, recording
/// every request and playing scripted faults.
final class ProviderPeer: Sendable {
    static let openAIKey = "test-openai-key-1234"
    static let anthropicKey = "test-anthropic-key-5678"

    let port: Int
    private let process: Process

    struct Request {
        var path: String
        var query: String
        var family: String
        var headers: [String: String]
        var json: [String: Any]
        var messages: [[String: Any]] { json["messages"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: (try? JSONSerialization.data(withJSONObject: json)) ?? Data(), as: UTF8.self) }
    }

    init() async throws {
        port = try FreePort.next()
        let script = SuiteHarness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Peers/provider_peer.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, "--port", "\(port)", "--openai-key", Self.openAIKey, "--anthropic-key", Self.anthropicKey,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if (try? await requests()) != nil { return }
            guard process.isRunning else { throw HarnessError("the provider peer exited") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("the provider peer did not start")
    }

    deinit { stop() }

    /// SIGKILL: a child started from the test runner may inherit a blocked SIGTERM.
    func stop() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func requests(family: String? = nil) async throws -> [Request] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(baseURL)/_requests")!)
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { throw HarnessError("bad /_requests") }
        return list.map {
            Request(
                path: $0["path"] as? String ?? "", query: $0["query"] as? String ?? "", family: $0["family"] as? String ?? "",
                headers: $0["headers"] as? [String: String] ?? [:], json: $0["json"] as? [String: Any] ?? [:])
        }.filter { family == nil || $0.family == family }
    }

    func stats() async throws -> (count: Int, maxInFlight: Int) {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(baseURL)/_stats")!)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (json["count"] as? Int ?? 0, json["maxInFlight"] as? Int ?? 0)
    }

    /// The next calls of `family` get these answers, in order, before the peer's own behaviour.
    func script(_ family: String, _ responses: [[String: Any]]) async throws {
        try await post("/_script", ["family": family, "responses": responses])
    }

    func reset() async throws { try await post("/_reset", [:]) }

    private func post(_ path: String, _ object: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: object)
        _ = try await URLSession.shared.data(for: request)
    }
}
