import Foundation

/// Metadata for tests of sandboxed tools: a copy of `compose/` with a peer program copied into
/// `tools/` and YAML appended to `capabilities.yaml`.
enum ToolMetadata {
    static func make(peer: String, capabilities yaml: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
        let tools = directory.appendingPathComponent("tools", isDirectory: true)
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: SuiteHarness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Peers/\(peer)"),
            to: tools.appendingPathComponent(peer))
        // Other users must reach the program: the sandbox runs it as nobody.
        for path in [directory, tools] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        }
        try append(yaml, to: directory)
        return directory
    }

    static func append(_ yaml: String, to directory: URL) throws {
        let capabilities = directory.appendingPathComponent("capabilities.yaml")
        let text = try String(contentsOf: capabilities, encoding: .utf8) + yaml
        try text.write(to: capabilities, atomically: true, encoding: .utf8)
    }
}
