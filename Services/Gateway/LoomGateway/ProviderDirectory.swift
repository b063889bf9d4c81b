import AsyncHTTPClient
import Foundation
import LoomConfig
import LoomContract

/// Every configured provider, ready to be asked: HTTP providers with their own connection
/// pool, limits and retries, and the offline scripted providers.
struct ProviderDirectory: Sendable {
    private let http: [String: HTTPProvider]
    private let clients: [HTTPClient]

    init(metadata: LoomMetadata, environment: [String: String], limiterWindow: Duration = .seconds(60)) {
        var http: [String: HTTPProvider] = [:]
        var clients: [HTTPClient] = []
        for (name, config) in metadata.providers where config.type != .scripted {
            let client = ProviderTransport.makeClient(config.timeouts)
            clients.append(client)
            http[name] = HTTPProvider(name: name, config: config, client: client, environment: environment, limiterWindow: limiterWindow)
        }
        self.http = http
        self.clients = clients
    }

    func answer(
        _ request: CompletionRequest, config: ProviderConfig, name: String, onText: (@Sendable (String) async -> Void)?
    ) async throws(ProviderFailure) -> ProviderAnswer {
        guard let provider = http[name] else {
            return await ScriptedProvider(name: name, config: config).answer(request, onText: onText)
        }
        return try await provider.complete(request, onText: onText)
    }

    func moderate(_ text: String, config: ProviderConfig, name: String) async throws(ProviderFailure) -> (flagged: Bool, categories: [String]) {
        guard let provider = http[name], config.type == .openai else {
            throw ProviderFailure(kind: .rejected, provider: name, message: "only openai-style providers have a moderation endpoint")
        }
        return try await provider.moderate(text)
    }

    func shutdown() async {
        for client in clients { try? await client.shutdown() }
    }
}
