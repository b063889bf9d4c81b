import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// The only process that talks to model providers, and the only one holding their keys.
///
/// A completion goes to the agent's provider and, when that provider is down (after its own
/// retries), to each of its fallbacks in order. Every call is written to the ledger with who
/// answered, the tokens and the cost.
struct Gateway: Sendable {
    let metadata: LoomMetadata
    let ledger: GatewayLedger
    let node: BusNode
    let providers: ProviderDirectory
    let logger: Logger

    /// Asks the chain of providers; the answer comes with its ledger row, which the reply
    /// cache commits in the same transaction as the answer.
    func complete(_ envelope: Envelope, _ request: CompletionRequest, from caller: PeerAddress) async -> ReplyDeduplicator.Answer {
        guard metadata.providers[request.provider] != nil else {
            return .init(Failure(code: "unknown_provider", message: "provider '\(request.provider)' is not configured"))
        }
        guard !request.messages.isEmpty else { return .init(Failure(code: "empty_prompt", message: "the request has no messages")) }
        let started = ContinuousClock.now
        let stream = request.streamExecutionId.map { DeltaSender(node: node, caller: caller, executionId: $0, requestId: envelope.id) }
        var onText: (@Sendable (String) async -> Void)?
        if let stream { onText = { text in await stream.send(text) } }
        let chain = [request.provider] + (metadata.providers[request.provider]?.fallback ?? [])
        var failures: [ProviderFailure] = []
        for name in chain {
            guard let config = metadata.providers[name] else { continue }
            var attempt = request
            attempt.provider = name
            // The agent's model names a model of its own provider, not of a fallback.
            if name != request.provider { attempt.model = nil }
            do throws(ProviderFailure) {
                let answer = try await providers.answer(attempt, config: config, name: name, onText: onText)
                let result = Self.result(answer, provider: name, config: config, request: attempt, failedOver: failures.map(\.provider))
                return record(envelope, request, result: result, failure: nil, started: started)
            } catch {
                failures.append(error)
                logger.warning("provider call failed", metadata: ["provider": "\(name)", "code": "\(error.code)", "error": "\(error.message)"])
                // Text already on its way to the caller cannot be taken back; a request the
                // provider refuses as wrong would be refused by the next one too.
                guard error.triesFallback, stream?.sentAny != true else { break }
            }
        }
        let last = failures.last ?? ProviderFailure(kind: .missingKey, provider: request.provider, message: "no provider in the chain is configured")
        var failure = last.asFailure
        if failures.count > 1 { failure.message += " (also failed: " + failures.dropLast().map(\.description).joined(separator: "; ") + ")" }
        return record(envelope, request, result: nil, failure: failure, started: started)
    }

    /// The provider's own safety check of `request.text`.
    func moderate(_ request: ModerationRequest) async -> any MessagePayload {
        guard let config = metadata.providers[request.provider] else {
            return Failure(code: "unknown_provider", message: "provider '\(request.provider)' is not configured")
        }
        do throws(ProviderFailure) {
            let verdict = try await providers.moderate(request.text, config: config, name: request.provider)
            return ModerationResult(flagged: verdict.flagged, categories: verdict.categories, provider: request.provider)
        } catch {
            return error.asFailure
        }
    }

    static func result(_ answer: ProviderAnswer, provider: String, config: ProviderConfig, request: CompletionRequest, failedOver: [String]) -> CompletionResult {
        // Servers that report no usage (some compatible ones, when streaming) get an estimate.
        var input = answer.inputTokens
        var output = answer.outputTokens
        if input == 0 && output == 0 {
            input = HTTPProvider.estimateTokens(request)
            output = ScriptedProvider.estimateTokens(answer.text + answer.toolCalls.map(\.arguments.compactJSON).joined())
        }
        let cost = config.prices?.cost(inputTokens: input, outputTokens: output)
        return CompletionResult(
            text: answer.text, provider: provider, model: answer.model ?? request.model ?? config.model,
            usage: TokenUsage(inputTokens: input, outputTokens: output, cost: cost), finishReason: answer.finishReason,
            toolCalls: answer.toolCalls.isEmpty ? nil : answer.toolCalls, failedOver: failedOver.isEmpty ? nil : failedOver)
    }

    private func record(
        _ envelope: Envelope, _ request: CompletionRequest, result: CompletionResult?, failure: Failure?,
        started: ContinuousClock.Instant
    ) -> ReplyDeduplicator.Answer {
        node.counters.increment("provider.calls")
        let payload: any MessagePayload = result ?? failure ?? Failure(code: "no_answer", message: "no provider answered")
        do {
            let call = try GatewayLedger.Call(
                requestId: envelope.id, request: request, result: result, failure: failure,
                durationMs: (ContinuousClock.now - started).seconds * 1000)
            return .init(payload, record: { db in try GatewayLedger.record(call, db) })
        } catch {
            // Nothing to commit means nothing to repeat: the caller must ask again.
            logger.error("could not encode a provider call for the ledger", metadata: ["error": "\(error)"])
            return .init(Failure(code: "ledger_unavailable", message: "\(error)", retryable: true))
        }
    }

    func answer(_ envelope: Envelope) async -> any MessagePayload {
        switch envelope.body {
        case is HealthQuery:
            return HealthResult(service: "gateway", instance: node.instance, counters: node.counters.snapshot())
        case let query as ProviderLogQuery:
            do {
                return ProviderLogResult(requests: try await ledger.requests(limit: min(max(query.limit, 1), 10_000)))
            } catch {
                return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
            }
        case let query as UsageQuery:
            do {
                return UsageReport(since: query.since, until: query.until, rows: try await ledger.usage(query))
            } catch {
                return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
            }
        default:
            return Failure(code: "unsupported_request", message: "the gateway does not answer \(envelope.kind.rawValue)")
        }
    }
}
