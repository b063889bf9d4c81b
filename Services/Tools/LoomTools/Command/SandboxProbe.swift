import Foundation
import LoomConfig
import LoomContract

/// One command run the way the tools service runs it, in its sandbox, or the same program
/// started bare: what `loom bench sandbox` times to find what the sandbox costs per call.
public struct SandboxProbe: Sendable {
    let tool: CommandTool

    /// - Parameter exec: `loom-sandbox-exec`, as the tools service finds it beside itself.
    public init(exec: URL) {
        let host = SandboxPlan.Host(
            exec: exec.path, isRoot: geteuid() == 0, hidden: ["/run"], configDirectory: "/")
        tool = CommandTool(host: host, environment: [:])
    }

    public func sandboxed(_ command: CommandBackend, input: JSONValue) async -> ToolCallResult {
        await tool.run(command, arguments: input, effect: .readOnly)
    }

    public func bare(_ command: CommandBackend, input: JSONValue) async -> ToolCallResult {
        let data: Data
        do {
            data = try WireCodec.encodeValue(input)
        } catch {
            return .failure("invalid_arguments", "\(error)")
        }
        let outcome = await CommandProcess.run(
            executable: command.executable, arguments: command.arguments, environment: ["PATH": SandboxPlan.searchPath],
            input: data, wallSeconds: command.limits.wallSeconds, outputBytes: command.limits.outputBytes)
        return CommandResult.interpret(
            outcome, effect: .readOnly, limits: (command.limits.wallSeconds, command.limits.outputBytes))
    }
}
