import Foundation

/// The operator token `loom up` makes when the metadata names none: random, kept in the data
/// directory (mode 0600) so it survives restarts, handed to the ingress in
/// `LOOM_OPERATOR_TOKEN`, and read back by the CLI's HTTP calls.
enum OperatorToken {
    static let variable = "LOOM_OPERATOR_TOKEN"
    static let fileName = "operator.token"

    static func file(in dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(fileName)
    }

    /// The token kept in `dataDirectory`, if there is one.
    static func read(dataDirectory: String) -> String? {
        guard let text = try? String(contentsOf: file(in: dataDirectory), encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// The kept token, or a new one written only the owner can read.
    static func loadOrCreate(dataDirectory: String) throws -> String {
        if let token = read(dataDirectory: dataDirectory) { return token }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let path = file(in: dataDirectory).path
        // Created with its final mode: the token is never readable by others, not even briefly.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw SupervisorError(message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data((token + "\n").utf8))
        try handle.close()
        return token
    }
}
