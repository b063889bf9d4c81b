import Foundation
import LoomConfig
import Logging

/// What every service process knows at start-up: who it is, its configuration and where its data lives.
public struct ServiceEnvironment: Sendable {
    /// The service name (`router`, `orchestrator`, …).
    public let service: String
    /// This process's routing id on the bus; stable across restarts so peers keep reaching it.
    public let instance: String
    public let configDirectory: URL
    public let layout: SuiteLayout
    public let metadata: LoomMetadata
    /// This service's own folder, `<data directory>/<service>` (see `ServiceDataDirectory`).
    public let dataDirectory: URL
    public let logger: Logger

    /// Reads `--config DIR` and `--instance ID` from the arguments (or `LOOM_CONFIG_DIR` and
    /// `LOOM_INSTANCE`), then loads and validates the metadata.
    public static func load(
        service: String, arguments: [String] = CommandLine.arguments, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceEnvironment {
        let options = try CommandLineOptions(arguments: Array(arguments.dropFirst()))
        let config = URL(fileURLWithPath: options.values["config"] ?? environment["LOOM_CONFIG_DIR"] ?? "compose", isDirectory: true)
        let layout = try SuiteLayout.load(directory: config, environment: environment)
        let metadata = try LoomMetadata.load(directory: config)
        let instance = options.values["instance"] ?? environment["LOOM_INSTANCE"] ?? service
        var logger = Logger(label: "loom.\(service)")
        logger.logLevel = Logger.Level(rawValue: environment["LOOM_LOG_LEVEL"] ?? "info") ?? .info
        logger[metadataKey: "service"] = "\(instance)"
        return ServiceEnvironment(
            service: service, instance: instance, configDirectory: config, layout: layout, metadata: metadata,
            dataDirectory: URL(fileURLWithPath: layout.dataDirectory, isDirectory: true)
                .appendingPathComponent(service, isDirectory: true),
            logger: logger)
    }
}

/// `--name value` pairs; anything else is an error naming the argument.
struct CommandLineOptions {
    var values: [String: String] = [:]

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { throw UsageError(message: "unexpected argument '\(argument)'") }
            let name = String(argument.dropFirst(2))
            guard ["config", "instance"].contains(name) else { throw UsageError(message: "unknown option '\(argument)'") }
            guard let value = iterator.next() else { throw UsageError(message: "option '\(argument)' needs a value") }
            values[name] = value
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { "\(message) (usage: [--config DIR] [--instance ID])" }
}
