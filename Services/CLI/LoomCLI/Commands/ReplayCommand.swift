import ArgumentParser
import Foundation
import LoomConfig
import LoomOrchestrator
import LoomServiceRuntime

/// `loom replay EXECUTION_ID`: replays a recorded execution through the decision core under the
/// current metadata (or another directory's), offline, and prints the first divergence.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded execution under the current (or another) metadata; calls no provider and no tool.",
        discussion: """
            Reads the execution's history from the orchestrator's database and feeds it into the decision core. \
            Prints the first point where the decisions differ (a different prompt, other offered tools, another \
            policy decision, another ending). Exits 1 when they diverge.
            """)

    @Argument(help: "The execution to replay.") var executionId: String
    @Option(name: .long, help: "The metadata to replay under (default: the suite's own, --suite).") var config: String?
    @Option(name: .long, help: "The suite whose history to read (its suite.yaml says where the data is).")
    var suite: String = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"
    @Option(name: .customLong("data-dir"), help: "The suite's data directory, when not the one suite.yaml names.")
    var dataDirectory: String?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let dataDirectory { environment["LOOM_DATA_DIR"] = dataDirectory }
        let orchestrator = try ServiceEnvironment.load(
            service: "orchestrator", arguments: ["loom", "--config", suite], environment: environment)
        let metadata = try config.map { try LoomMetadata.load(directory: URL(fileURLWithPath: $0, isDirectory: true)) }
            ?? orchestrator.metadata
        let (text, diverged) = try await OfflineReplay.report(
            executionId: executionId, orchestrator: orchestrator, metadata: metadata)
        print(text)
        if diverged { throw ExitCode(1) }
    }
}
