import Foundation
import LoomContract

/// How values appear on an execution's trace.
enum TraceText {
    static func json(_ value: JSONValue) -> String { value.compactJSON }

    static func describe(_ call: ToolCall) -> JSONValue {
        .object(["id": .string(call.id), "name": .string(call.name), "arguments": call.arguments])
    }

    /// What an `llmRequest` step stores: the model call whose request holds the prompt.
    static func promptReference(_ callId: String) -> String { promptPrefix + callId }

    /// The call an `llmRequest` step refers to, if it holds a reference.
    static func referencedCall(_ content: String) -> String? {
        content.hasPrefix(promptPrefix) ? String(content.dropFirst(promptPrefix.count)) : nil
    }

    private static let promptPrefix = "the prompt of call "

    /// The prompt as the model saw it, readable on the trace.
    static func render(_ messages: [ChatMessage]) -> String {
        guard let data = try? prettyEncoder.encode(messages) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    private static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// A tool's result as the model reads it: `success`, `result`, `code`, `error`, `retryable`, `guidance`.
enum ToolResultJSON {
    static func encode(_ result: ToolCallResult) -> JSONValue {
        var fields: [String: JSONValue] = ["success": .bool(result.success)]
        if let value = result.result { fields["result"] = value }
        if let code = result.code { fields["code"] = .string(code) }
        if let error = result.error { fields["error"] = .string(error) }
        if !result.success { fields["retryable"] = .bool(result.retryable) }
        if let guidance = result.guidance { fields["guidance"] = .string(guidance) }
        return .object(fields)
    }
}
