import Foundation
import Synchronization
import LoomConfig
import LoomContract

/// The offline provider: deterministic answers from rules in the metadata.
///
/// It sees exactly what a real provider would (the masked prompt and the offered tools), so
/// tests can inspect the request log. A rule may ask for tool calls; once their results are in
/// the conversation it answers from its template, which can quote the results. It estimates
/// tokens at roughly four characters per token.
struct ScriptedProvider: Sendable {
    let name: String
    let config: ProviderConfig

    /// The answer as a provider gives it, after the rule's delay; when streamed, the text
    /// comes in word-sized pieces spread over that delay, like a model writing.
    func answer(_ request: CompletionRequest, onText: (@Sendable (String) async -> Void)?) async -> ProviderAnswer {
        let (result, delay) = complete(request)
        let pieces = onText == nil ? [] : Self.pieces(of: result.text)
        if pieces.isEmpty {
            if delay > .zero { try? await Task.sleep(for: delay) }
        } else if let onText {
            let pause = delay / pieces.count
            for piece in pieces {
                if pause > .zero { try? await Task.sleep(for: pause) }
                await onText(piece)
            }
        }
        return ProviderAnswer(
            text: result.text, toolCalls: result.toolCalls ?? [], inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens,
            finishReason: result.finishReason, model: result.model)
    }

    /// Words with the space before them, so the pieces join back to the text.
    static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " ", !current.isEmpty, current.last != " " {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The answer, and how long the matching rule says answering takes.
    func complete(_ request: CompletionRequest) -> (CompletionResult, delay: Duration) {
        let users = request.messages.filter { $0.role == .user }.map(\.content)
        let last = users.last ?? ""
        // Tool results that answer calls made since the latest user message.
        let lastUserIndex = request.messages.lastIndex { $0.role == .user } ?? 0
        let results = request.messages[lastUserIndex...].filter { $0.role == .tool }.map(\.content)
        let offered = Set((request.tools ?? []).map(\.name))
        var captures: [String] = []
        let rule = config.rules.first { rule in
            guard let match = Self.match(rule.when, in: last) else { return false }
            captures = match
            return true
        }
        let input = request.messages.reduce(0) { $0 + Self.estimateTokens($1.content) } + (request.tools?.count ?? 0) * 40
        let model = request.model ?? config.model
        // Like a real model, it calls tools only when some are offered (it may still name one
        // that is not, which is how tests exercise the unknown-tool path).
        if let rule, !rule.calls.isEmpty, !offered.isEmpty, results.isEmpty || rule.reply == nil {
            let round = request.messages[lastUserIndex...].filter { $0.role == .assistant }.count
            let calls = rule.calls.enumerated().map { index, call in
                ToolCall(id: "call_\(round + 1)_\(index + 1)", name: call.tool, arguments: Self.fill(call.arguments, captures))
            }
            let text = calls.map { "\($0.name)(\($0.arguments.compactJSON))" }.joined(separator: "; ")
            let result = CompletionResult(
                text: "", provider: name, model: model,
                usage: TokenUsage(inputTokens: input, outputTokens: Self.estimateTokens(text)), finishReason: "tool_calls", toolCalls: calls)
            return (result, .zero)
        }
        let parsed = results.map(Self.parse)
        let failed = parsed.contains { result in
            if case .object(let map) = result, case .bool(false)? = map["success"] { return true }
            return false
        }
        let template = (failed ? rule?.failureReply : nil) ?? rule?.reply ?? config.defaultReply ?? ""
        let text = render(template, users: users, agent: request.agent, captures: captures, results: parsed)
        let result = CompletionResult(
            text: text, provider: name, model: model,
            usage: TokenUsage(inputTokens: input, outputTokens: Self.estimateTokens(text)), finishReason: "stop")
        return (result, .milliseconds(min(max(rule?.delayMilliseconds ?? 0, 0), 60_000)))
    }

    private func render(
        _ template: String, users: [String], agent: String, captures: [String], results: [JSONValue]
    ) -> String {
        var text = template
            .replacingOccurrences(of: "{{lastUser}}", with: users.last ?? "")
            .replacingOccurrences(of: "{{firstUser}}", with: users.first ?? "")
            .replacingOccurrences(of: "{{priorTurns}}", with: "\(max(users.count - 1, 0))")
            .replacingOccurrences(of: "{{agent}}", with: agent)
            .replacingOccurrences(of: "{{lastUserEmail}}", with: Self.firstEmail(in: users.last ?? "") ?? "(none given)")
        for (index, capture) in captures.enumerated() { text = text.replacingOccurrences(of: "{{\(index + 1)}}", with: capture) }
        return Self.replacePaths(in: text, results: results)
    }

    /// A tool result as JSON when it is a JSON document within the limits, else as a string.
    static func parse(_ result: String) -> JSONValue {
        let data = Data(result.utf8)
        guard (try? JSONLimits.standard.check(data)) != nil else { return .string(result) }
        return (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .string(result)
    }

    /// `{{tool.a.b}}` and `{{toolN.a.b}}` → the value at that path of the first / N-th result.
    static func replacePaths(in text: String, results: [JSONValue]) -> String {
        guard let pattern = toolPath else { return text }
        var output = text
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let whole = Range(match.range, in: output), let number = Range(match.range(at: 1), in: output),
                let path = Range(match.range(at: 2), in: output)
            else { continue }
            let index = (Int(output[number]) ?? 1) - 1
            var value: JSONValue? = results.indices.contains(index) ? results[index] : nil
            for key in output[path].split(separator: ".") {
                if case .object(let map)? = value { value = map[String(key)] } else { value = nil }
            }
            output.replaceSubrange(whole, with: value.map(\.plainText) ?? "")
        }
        return output
    }

    private static let toolPath = try? NSRegularExpression(pattern: #"\{\{tool(\d*)((?:\.[A-Za-z0-9_]+)*)\}\}"#)

    /// Rule patterns compiled once each: they come from the provider's configuration, so the
    /// cache holds no more entries than the rules.
    private static let compiled = Mutex<[String: NSRegularExpression]>([:])

    private static func regex(_ pattern: String) -> NSRegularExpression? {
        if let cached = compiled.withLock({ $0[pattern] }) { return cached }
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled.withLock { $0[pattern] = regex }
        return regex
    }

    /// Rules look at this many characters of the message at most. A rule is an operator's regular
    /// expression and may backtrack; bounding the text it runs on bounds the work per message.
    static let matchedPrefix = 4096

    /// The capture groups of the first match within the first ``matchedPrefix`` characters, or
    /// nil when the pattern does not match there.
    static func match(_ pattern: String, in message: String) -> [String]? {
        let text = String(message.prefix(matchedPrefix))
        guard let regex = regex(pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<max(match.numberOfRanges, 1)).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }

    /// String leaves with `{{1}}`… replaced by capture groups.
    static func fill(_ value: JSONValue, _ captures: [String]) -> JSONValue {
        switch value {
        case .string(var text):
            for (index, capture) in captures.enumerated() { text = text.replacingOccurrences(of: "{{\(index + 1)}}", with: capture) }
            return .string(text)
        case .array(let items): return .array(items.map { fill($0, captures) })
        case .object(let map): return .object(map.mapValues { fill($0, captures) })
        default: return value
        }
    }

    /// The first e-mail address in the text, or the token that stands for one after masking.
    static func firstEmail(in text: String) -> String? { EmailAddressScan.first(in: text) }

    static func estimateTokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}
