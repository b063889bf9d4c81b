import Foundation
import LoomConfig
import LoomContract

/// What a sandboxed run means for the model: pure, from the process outcome alone.
///
/// A program answers one JSON value on stdout. An object with `"success": false` is its own
/// failure (`code`, `error`, `retryable` taken from it); any other value is the result. Every
/// other ending (a crash, a non-zero exit, a timeout, too much output, output that is not JSON)
/// is a structured failure naming what happened, so the turn goes on and the service stays up.
enum CommandResult {
    static func interpret(
        _ outcome: CommandProcess.Outcome, effect: CapabilityDefinition.Effect, limits: (wall: Double, output: Int)
    ) -> ToolCallResult {
        switch outcome {
        case .couldNotStart(let reason):
            return .failure("sandbox_unavailable", "the tool's sandbox could not start: \(reason)")
        case .outputTooLarge:
            return .failure("output_too_large", "the tool wrote more than \(limits.output) bytes and was stopped")
        case .timedOut(let errors):
            // It may have acted before it was stopped: only a call safe to repeat is tried again.
            return .failure(
                "timeout", "the tool did not finish within \(limits.wall) s and was stopped\(tail(errors))",
                retryable: effect != .irreversible)
        case .signalled(let signal, let errors):
            return died(by: signal, errors)
        case .exited(let status, let output, let errors):
            // bwrap reports a program killed by a signal as 128 + the signal.
            if status > 128, status <= 128 + 64 { return died(by: status - 128, errors) }
            if status == 126 || status == 127, errors.contains("loom-sandbox-exec:") {
                return .failure("sandbox_failed", "the tool could not be started in its sandbox\(tail(errors))")
            }
            guard status == 0 else {
                return .failure("command_failed", "the tool exited with status \(status)\(tail(errors))")
            }
            return answer(output)
        }
    }

    private static func answer(_ output: Data) -> ToolCallResult {
        let trimmed = output.drop { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
        guard !trimmed.isEmpty else { return .failure("invalid_output", "the tool wrote nothing on stdout") }
        let value: JSONValue
        do {
            try JSONLimits.standard.check(Data(trimmed))
            value = try WireJSONDecoder().decode(JSONValue.self, from: Data(trimmed))
        } catch {
            return .failure("invalid_output", "the tool's output is not one JSON value within the limits: \(error)")
        }
        if case .object(let object) = value, object["success"] == .bool(false) {
            let retryable = object["retryable"] == .bool(true)
            return .failure(
                object["code"]?.stringValue ?? "tool_failed", object["error"]?.stringValue ?? "the tool reported a failure",
                retryable: retryable)
        }
        if case .object(let object) = value, object["success"] == .bool(true), let result = object["result"] {
            return ToolCallResult(success: true, result: result)
        }
        return ToolCallResult(success: true, result: value)
    }

    private static func died(by signal: Int32, _ errors: String) -> ToolCallResult {
        switch signal {
        case SIGXCPU:
            return .failure("cpu_limit", "the tool used up its CPU time and was stopped\(tail(errors))")
        case SIGKILL:
            // The hard CPU limit a second after SIGXCPU, or the kernel out of memory.
            return .failure(
                "killed", "the tool was killed (signal 9), usually for running past its CPU or memory limit\(tail(errors))")
        case SIGSYS:
            return .failure("forbidden_call", "the tool made a system call its sandbox forbids\(tail(errors))")
        default:
            return .failure("crashed", "the tool was killed by signal \(signal)\(tail(errors))")
        }
    }

    private static func tail(_ errors: String) -> String {
        let text = errors.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": " + String(text.suffix(500))
    }
}
