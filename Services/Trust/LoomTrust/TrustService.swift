import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the trust process: its vault and a bus node answering mask and unmask calls.
public enum TrustService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let vault = try TokenVault.open(directory: environment.dataDirectory)
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "trust"), peers: [:],
            logger: environment.logger)
        let masker = Masker(vault: vault)
        let replies = ReplyDeduplicator(database: vault.store)
        let handlers = BusHandlers(request: { envelope, _ in
            switch envelope.body {
            case is HealthQuery:
                return HealthResult(service: "trust", instance: node.instance, counters: node.counters.snapshot())
            case let request as MaskRequest:
                return await replies.serve(envelope) { await Self.run { try await masker.mask(request) } }
            case let request as UnmaskRequest:
                return await Self.run { try await masker.unmask(request) }
            default:
                return Failure(code: "unsupported_request", message: "the trust service does not answer \(envelope.kind.rawValue)")
            }
        })
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        return [NodeService(node: node, handlers: handlers)]
    }

    private static func run(_ body: () async throws -> any MessagePayload) async -> any MessagePayload {
        do {
            return try await body()
        } catch {
            return Failure(code: "vault_unavailable", message: "\(error)", retryable: true)
        }
    }
}
