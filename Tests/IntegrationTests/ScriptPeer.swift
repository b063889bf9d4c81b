import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A Python test peer (`Peers/NAME.py`) listening on a loopback port: started with its
/// arguments, ready once the port is bound, killed (SIGKILL) when stopped or released.
final class ScriptPeer: Sendable {
    let port: Int
    private let process: Process

    init(_ script: String, port: Int, arguments: [String] = []) async throws {
        self.port = port
        let path = SuiteHarness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Peers/\(script).py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path.path, "--port", "\(port)"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if !FreePort.isFree(port) { return }
            guard process.isRunning else {
                throw HarnessError("\(script) exited; are its Python packages installed (scripts/test-peers)?")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw HarnessError("\(script) did not start")
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A GET to the peer's own control paths (`/_count`, `/_release`).
    func get(_ path: String) async throws -> [String: Any] {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw HarnessError("bad path \(path)") }
        let (data, _) = try await URLSession.shared.data(from: url)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

/// A copy of the sample metadata with more capabilities appended, in a temporary directory.
enum TestMetadata {
    static func withCapabilities(_ yaml: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
        let capabilities = directory.appendingPathComponent("capabilities.yaml")
        let text = try String(contentsOf: capabilities, encoding: .utf8)
        try (text + yaml).write(to: capabilities, atomically: true, encoding: .utf8)
        return directory
    }
}

enum TestCertificate {
    /// A self-signed certificate for `localhost`, made with openssl in a new temporary directory
    /// (the caller removes it).
    static func make() throws -> (directory: URL, cert: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw HarnessError("openssl could not make a certificate") }
        return (directory, cert, key)
    }
}
