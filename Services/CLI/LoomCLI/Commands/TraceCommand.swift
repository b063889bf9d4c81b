import ArgumentParser
import Foundation
import LoomContract

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Show an execution and its steps, from the running orchestrator.")

    @OptionGroup var suite: SuiteOptions

    @Argument(help: "The execution id.")
    var executionId: String

    @Flag(help: "Print the raw JSON.")
    var json = false

    func run() async throws {
        let result = try await ControlClient.call(
            TraceQuery(executionId: executionId), service: "orchestrator", layout: try suite.layout(), expecting: TraceResult.self)
        guard let execution = result.execution else {
            FileHandle.standardError.write(Data("no execution \(executionId)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            print(try WireCodec.encodeText(result))
            return
        }
        print(TraceRenderer.render(execution: execution, steps: result.steps, children: result.children ?? []))
    }
}


/// Human-readable trace output.
enum TraceRenderer {
    static func render(execution: AgentExecution, steps: [ExecutionStep], children: [AgentExecution] = []) -> String {
        var lines = [
            "execution \(execution.id)",
            "  agent     \(execution.agent) (\(execution.strategy.rawValue))",
            "  session   \(execution.sessionId ?? "-")",
            "  status    \(execution.status.rawValue)" + (execution.error.map { " — \($0.code): \($0.message)" } ?? ""),
            "  tokens    in \(execution.usage.inputTokens), out \(execution.usage.outputTokens)"
                + (execution.usage.cost.map { String(format: ", cost $%.6f", $0) } ?? ""),
        ]
        if let parent = execution.parentExecutionId { lines.append("  parent    \(parent)") }
        for child in children { lines.append("  child     \(child.id) (\(child.agent), \(child.status.rawValue))") }
        if let started = execution.startedAt, let completed = execution.completedAt {
            lines.append("  duration  \(String(format: "%.1f", completed.timeIntervalSince(started) * 1000)) ms")
        }
        lines.append("steps")
        for step in steps {
            let cost = step.usage?.cost.map { String(format: ", $%.6f", $0) } ?? ""
            let usage = step.usage.map { "  [tokens in \($0.inputTokens), out \($0.outputTokens)\(cost)]" } ?? ""
            let capability = step.capability.map { "  \($0)" } ?? ""
            let provider = step.provider.map { "  via \($0)" } ?? ""
            lines.append("  #\(step.sequence) \(step.type.rawValue)\(capability)\(provider)  \(String(format: "%.1f", step.durationMs)) ms\(usage)")
            for line in step.content.split(separator: "\n", omittingEmptySubsequences: false).prefix(40) {
                lines.append("      \(line)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
