import ArgumentParser
import Foundation
import LoomContract

/// Acting on executions in the running orchestrator.
struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions", abstract: "Act on executions (see `loom trace` to inspect one).", subcommands: [Cancel.self])

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an execution; it stops at its next safe point.")
        @OptionGroup var suite: SuiteOptions
        @Argument(help: "The execution id.") var executionId: String
        @Option(help: "Who cancels (recorded with the execution).") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"

        func run() async throws {
            let result = try await ControlClient.call(
                ExecutionCancelRequest(executionId: executionId, actor: actor), service: "orchestrator", layout: try suite.layout(),
                expecting: ExecutionCancelResult.self)
            print(result.changed ? "cancelled \(executionId)" : "\(executionId) is already \(result.status.rawValue)")
        }
    }
}
