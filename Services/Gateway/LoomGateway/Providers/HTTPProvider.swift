import AsyncHTTPClient
import Foundation
import LoomConfig
import LoomContract
import NIOCore

/// One configured HTTP provider: its wire format, its key, its limits and its retries.
struct HTTPProvider: Sendable {
    let name: String
    let config: ProviderConfig
    let adapter: any ProviderAdapter
    let transport: ProviderTransport
    let limiter: ProviderLimiter
    let environment: [String: String]

    init(name: String, config: ProviderConfig, client: HTTPClient, environment: [String: String], limiterWindow: Duration = .seconds(60)) {
        self.name = name
        self.config = config
        self.adapter = config.type == .anthropic ? AnthropicMessagesAdapter(config: config) : OpenAIChatAdapter(config: config)
        self.transport = ProviderTransport(provider: name, client: client, timeouts: config.timeouts)
        self.limiter = ProviderLimiter(limits: config.limits, window: limiterWindow)
        self.environment = environment
    }

    /// Asks the provider, retrying 429, 5xx, timeouts and transport errors on schedule.
    func complete(_ request: CompletionRequest, onText: (@Sendable (String) async -> Void)?) async throws(ProviderFailure) -> ProviderAnswer {
        let key = try key()
        let http: ProviderHTTPRequest
        do {
            http = try adapter.request(for: request, key: key, stream: onText != nil)
        } catch {
            throw ProviderFailure(kind: .rejected, provider: name, message: "cannot form the request: \(error)")
        }
        let estimate = Self.estimateTokens(request) + (request.maxTokens ?? config.maxTokens ?? 0)
        return try await withRetries { () throws(ProviderFailure) in
            let permit = try await admit(tokens: estimate)
            do throws(ProviderFailure) {
                let answer = try await transport.send(http, adapter: adapter, onText: onText)
                await limiter.release(permit, tokens: answer.inputTokens + answer.outputTokens)
                return answer
            } catch {
                await limiter.release(permit, tokens: nil)
                throw error
            }
        }
    }

    /// The provider's moderation verdict on `text`.
    func moderate(_ text: String) async throws(ProviderFailure) -> (flagged: Bool, categories: [String]) {
        let moderation = OpenAIModeration(config: config)
        let http: ProviderHTTPRequest
        do {
            http = try moderation.request(text: text, key: try key())
        } catch let failure as ProviderFailure {
            throw failure
        } catch {
            throw ProviderFailure(kind: .rejected, provider: name, message: "cannot form the request: \(error)")
        }
        return try await withRetries { () throws(ProviderFailure) in
            let body = try await transport.post(http, errorMessage: ProviderErrorBody.message(in:))
            do throws(ProviderFormatError) {
                return try moderation.verdict(from: body)
            } catch {
                throw ProviderFailure(kind: .malformed, provider: name, message: error.description)
            }
        }
    }

    private func withRetries<T>(_ attempt: () async throws(ProviderFailure) -> T) async throws(ProviderFailure) -> T {
        let schedule = RetrySchedule(settings: config.retries)
        var number = 1
        while true {
            do throws(ProviderFailure) {
                return try await attempt()
            } catch {
                guard error.retryable, number < config.retries.maxAttempts, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: schedule.delay(afterAttempt: number, retryAfter: error.retryAfter))
                number += 1
            }
        }
    }

    private func admit(tokens: Int) async throws(ProviderFailure) -> ProviderLimiter.Permit {
        do {
            return try await limiter.acquire(tokens: tokens)
        } catch {
            throw ProviderFailure(
                kind: .queueTimeout, provider: name, message: "waited \(config.limits.queueTimeoutSeconds) s for the provider's limits without a turn")
        }
    }

    private func key() throws(ProviderFailure) -> String? {
        guard let reference = config.apiKey else { return nil }
        guard let key = reference.resolve(environment: environment) else {
            throw ProviderFailure(kind: .missingKey, provider: name, message: "no key in \(reference)")
        }
        return key
    }

    /// About four characters per token, plus a little per message and per tool.
    static func estimateTokens(_ request: CompletionRequest) -> Int {
        let characters = request.messages.reduce(0) { $0 + $1.content.utf8.count + ($1.toolCalls ?? []).reduce(0) { $0 + $1.arguments.compactJSON.utf8.count } }
        let tools = (request.tools ?? []).reduce(0) { $0 + $1.description.utf8.count + $1.parameters.compactJSON.utf8.count }
        return (characters + tools) / 4 + 4 * request.messages.count
    }
}
