import Foundation
import LoomConfig
import LoomContract

/// Where a suite started by `loom up` listens, written while it runs into its data directory
/// (`<data>/suite.json`) and into a per-user registry (`~/.local/state/loom/suites/`, or
/// `LOOM_STATE_DIR`), so every other command finds it from `--data-dir`, `--config` or `--url`,
/// whatever ports it was given.
struct RunningSuite: Codable, Equatable, Sendable {
    var ingressURL: String
    /// Service → bus endpoint.
    var bus: [String: String]
    var dataDirectory: String
    var processId: Int32

    static let fileName = "suite.json"

    static func file(inDataDirectory directory: String) -> URL {
        URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(fileName)
    }

    static func registry(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["LOOM_STATE_DIR"], !state.isEmpty {
            return URL(fileURLWithPath: state, isDirectory: true).appendingPathComponent("suites", isDirectory: true)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/state/loom/suites", isDirectory: true)
    }

    /// Its entry in the registry: one per ingress port.
    var registryName: String {
        (URL(string: ingressURL)?.port).map { "\($0).json" } ?? "suite.json"
    }

    /// Whether the `loom up` that wrote it still runs.
    var isAlive: Bool { kill(processId, 0) == 0 || errno == EPERM }

    func write(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let data = try WireCodec.encodeValue(self)
        try data.write(to: Self.file(inDataDirectory: dataDirectory), options: .atomic)
        let registry = Self.registry(environment: environment)
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        try data.write(to: registry.appendingPathComponent(registryName), options: .atomic)
    }

    /// Removes both records; a record already gone is fine.
    func remove(environment: [String: String] = ProcessInfo.processInfo.environment) {
        for file in [Self.file(inDataDirectory: dataDirectory), Self.registry(environment: environment).appendingPathComponent(registryName)] {
            try? FileManager.default.removeItem(at: file)
        }
    }

    static func read(_ file: URL) -> RunningSuite? {
        guard let data = FileManager.default.contents(atPath: file.path),
            let suite = try? WireCodec.makeDecoder().decode(RunningSuite.self, from: data), suite.isAlive
        else { return nil }
        return suite
    }

    /// The live suites in the registry.
    static func registered(environment: [String: String] = ProcessInfo.processInfo.environment) -> [RunningSuite] {
        let registry = registry(environment: environment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: registry.path)) ?? []
        return names.sorted().compactMap { read(registry.appendingPathComponent($0)) }
    }
}
