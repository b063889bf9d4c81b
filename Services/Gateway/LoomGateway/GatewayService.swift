import Foundation
import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the gateway process: its ledger and a bus node answering completion calls.
public enum GatewayService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let ledger = try GatewayLedger.open(directory: environment.dataDirectory)
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "gateway"),
            // The trust link carries refusal reports to the audit log.
            peers: ["trust": environment.layout.endpoint(of: "trust")],
            logger: environment.logger)
        let providers = ProviderDirectory(metadata: environment.metadata, environment: ProcessInfo.processInfo.environment)
        let gateway = Gateway(metadata: environment.metadata, ledger: ledger, node: node, providers: providers, logger: environment.logger)
        let replies = ReplyDeduplicator(database: ledger.store)
        let handlers = BusHandlers(
            deliver: { envelope, _ in
                .rejected(envelope.id, code: "not_accepted", detail: "the gateway takes no deliveries")
            },
            request: { envelope, from in
                switch envelope.body {
                case let request as CompletionRequest:
                    return await replies.serve(envelope, from: from, recording: {
                        await gateway.complete(envelope, request, from: from)
                    })
                case let request as ModerationRequest:
                    return await gateway.moderate(request)
                default:
                    return await gateway.answer(envelope)
                }
            })
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        let retention = RetentionSweeper(
            database: ledger.store, policy: environment.layout.retention, logger: environment.logger)
        return [
            NodeService(node: node, handlers: handlers), ProviderClientsService(providers: providers),
            retention.service,
        ]
    }
}

/// Closes the providers' connection pools when the gateway stops.
struct ProviderClientsService: Service {
    let providers: ProviderDirectory

    func run() async throws {
        try? await gracefulShutdown()
        await providers.shutdown()
    }
}
