import Foundation
import LoomConfig
import LoomContract

/// The offline provider: deterministic answers from rules in the metadata.
///
/// It sees exactly what a real provider would (the masked prompt), so tests can inspect the
/// request log, and it estimates tokens at roughly four characters per token.
struct ScriptedProvider: Sendable {
    let name: String
    let config: ProviderConfig

    func complete(_ request: CompletionRequest) -> CompletionResult {
        let users = request.messages.filter { $0.role == .user }.map(\.content)
        let last = users.last ?? ""
        let template = config.rules.first { rule in
            last.range(of: rule.when, options: .regularExpression) != nil
        }?.reply ?? config.defaultReply ?? ""
        let text = render(template, users: users, agent: request.agent)
        let input = request.messages.reduce(0) { $0 + Self.estimateTokens($1.content) }
        return CompletionResult(
            text: text, provider: name, model: request.model ?? config.model,
            usage: TokenUsage(inputTokens: input, outputTokens: Self.estimateTokens(text)), finishReason: "stop")
    }

    private func render(_ template: String, users: [String], agent: String) -> String {
        template
            .replacingOccurrences(of: "{{lastUser}}", with: users.last ?? "")
            .replacingOccurrences(of: "{{firstUser}}", with: users.first ?? "")
            .replacingOccurrences(of: "{{priorTurns}}", with: "\(max(users.count - 1, 0))")
            .replacingOccurrences(of: "{{agent}}", with: agent)
            .replacingOccurrences(of: "{{lastUserEmail}}", with: Self.firstEmail(in: users.last ?? "") ?? "(none given)")
    }

    /// The first e-mail address in the text, or the token that stands for one after masking.
    static func firstEmail(in text: String) -> String? {
        text.range(of: #"\[\s*EMAIL\s*_\s*\d+\s*\]|[^\s@]+@[^\s@]+\.[A-Za-z]{2,}"#, options: [.regularExpression, .caseInsensitive])
            .map { String(text[$0]) }
    }

    static func estimateTokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}
