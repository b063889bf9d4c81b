import ArgumentParser

/// The `loom` command line.
public struct LoomCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "loom",
        abstract: "A governed runtime for AI agents.",
        subcommands: [
            UpCommand.self, ChatCommand.self, SendCommand.self, TraceCommand.self, ExecutionsCommand.self, SessionsCommand.self, DraftsCommand.self, ConfigCommand.self,
            UsageCommand.self, AuditCommand.self, ApprovalsCommand.self, KeysCommand.self, ReplayCommand.self,
            BenchCommand.self,
        ])

    public init() {}

    /// Entry point for the executable: parses the arguments and runs the (async) subcommand.
    public static func start() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
