import Foundation
import LoomContract
import MCP

/// How a `tools/call` answer becomes the model's ``ToolCallResult``: `isError` is a failure the
/// model can read (the tool's own text as the error, not retryable: the same call fails again);
/// otherwise the structured content when the server sends one, else the text. Content that is
/// not text (images, audio, resources) is summarized, never passed on as bytes.
enum McpResultMapping {
    /// At most this much text reaches the model from one call.
    static let textLimit = 64 << 10

    static func result(content: [Tool.Content], structured: Value?, isError: Bool?) -> ToolCallResult {
        let text = content.map(describe).joined(separator: "\n")
        let bounded = text.utf8.count > textLimit ? String(decoding: text.utf8.prefix(textLimit), as: UTF8.self) : text
        if isError == true {
            return .failure("tool_error", bounded.isEmpty ? "the MCP tool reported an error" : bounded)
        }
        if let structured { return ToolCallResult(success: true, result: McpValue.json(structured)) }
        return ToolCallResult(success: true, result: .string(bounded))
    }

    static func describe(_ content: Tool.Content) -> String {
        switch content {
        case .text(let text, _, _): return text
        case .image(let data, let mimeType, _, _): return "[image \(mimeType), \(data.utf8.count * 3 / 4) bytes]"
        case .audio(let data, let mimeType, _, _): return "[audio \(mimeType), \(data.utf8.count * 3 / 4) bytes]"
        case .resource(let resource, _, _): return "[resource \(resource.uri)]"
        case .resourceLink(let uri, let name, _, _, _, _): return "[resource link \(name): \(uri)]"
        }
    }

    /// A call that never got an answer: the server is down, did not answer in time, or broke the protocol.
    static func unavailable(_ server: String, _ reason: String) -> ToolCallResult {
        .failure("server_unavailable", "the MCP server '\(server)' is not available: \(reason)", retryable: true)
    }
}

extension McpResultMapping {
    /// A call that was sent and got no answer (timeout, or the server went away). A tool with
    /// side effects may have acted: that is said, and not retried automatically.
    static func lost(_ server: String, timedOut: Bool, sideEffects: Bool) -> ToolCallResult {
        let what = timedOut ? "did not answer within its timeout" : "went away before answering"
        guard sideEffects else {
            return .failure(
                timedOut ? "timeout" : "server_unavailable", "the MCP server '\(server)' \(what)", retryable: true)
        }
        return .failure(
            "outcome_unknown",
            "the MCP server '\(server)' \(what); the call may have taken effect, check the target system")
    }
}
