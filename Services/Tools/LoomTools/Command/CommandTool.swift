import Foundation
import LoomConfig
import LoomContract

/// Runs `command` capabilities, each call in a fresh sandbox (``SandboxPlan``), with the
/// validated arguments as compact JSON on stdin.
struct CommandTool: Sendable {
    let host: SandboxPlan.Host
    /// The tools service's environment: the source of each capability's allowed variables.
    let environment: [String: String]

    func run(_ command: CommandBackend, arguments: JSONValue, sideEffects: Bool) async -> ToolCallResult {
        let plan = SandboxPlan(command, host: host, environment: environment, path: Self.kind)
        let input: Data
        do {
            input = try WireCodec.makeEncoder().encode(arguments)
        } catch {
            return .failure("invalid_arguments", "the arguments cannot be written as JSON: \(error)")
        }
        let outcome = await CommandProcess.run(
            executable: plan.executable, arguments: plan.arguments, input: input,
            wallSeconds: command.limits.wallSeconds, outputBytes: command.limits.outputBytes)
        return CommandResult.interpret(
            outcome, sideEffects: sideEffects, limits: (command.limits.wallSeconds, command.limits.outputBytes))
    }

    /// What a host path is, without following a final symlink.
    static func kind(_ path: String) -> SandboxPlan.PathKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        guard status.st_mode & S_IFMT == S_IFLNK else { return .present }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return .present }
        return .symlink(to: target)
    }
}

extension SandboxPlan.Host {
    /// The host as the running tools service sees it: `loom-sandbox-exec` next to its own
    /// executable, and the suite's data directory and key directory hidden from tools.
    static func current(dataDirectory: String, configDirectory: URL, environment: [String: String]) -> SandboxPlan.Host {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "loom-tools"
        let exec = URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("loom-sandbox-exec")
        let hidden = [dataDirectory, environment["LOOM_BUS_KEYS"], "/run/secrets", "/var/run/secrets"].compactMap { $0 }
        return SandboxPlan.Host(
            exec: exec.path, isRoot: geteuid() == 0, hidden: hidden, configDirectory: configDirectory.path)
    }
}
