import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// The only process that talks to model providers.
struct Gateway: Sendable {
    let metadata: LoomMetadata
    let ledger: GatewayLedger
    let node: BusNode
    let logger: Logger

    func complete(_ envelope: Envelope, _ request: CompletionRequest) async -> any MessagePayload {
        guard let config = metadata.providers[request.provider] else {
            return Failure(code: "unknown_provider", message: "provider '\(request.provider)' is not configured")
        }
        guard !request.messages.isEmpty else { return Failure(code: "empty_prompt", message: "the request has no messages") }
        let started = ContinuousClock.now
        let result: CompletionResult
        switch config.type {
        case .scripted:
            let (answer, delay) = ScriptedProvider(name: request.provider, config: config).complete(request)
            if delay > .zero { try? await Task.sleep(for: delay) }
            result = answer
        case .openai, .anthropic:
            return Failure(code: "provider_unsupported", message: "\(config.type.rawValue) providers are not available in this build")
        }
        let elapsed = ContinuousClock.now - started
        do {
            try await ledger.record(requestId: envelope.id, request: request, result: result, durationMs: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        } catch {
            logger.error("could not record a provider call", metadata: ["error": "\(error)"])
        }
        return result
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
        default:
            return Failure(code: "unsupported_request", message: "the gateway does not answer \(envelope.kind.rawValue)")
        }
    }
}
