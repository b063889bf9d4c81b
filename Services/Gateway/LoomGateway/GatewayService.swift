import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the gateway process: its ledger and a bus node answering completion calls.
public enum GatewayService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let ledger = try GatewayLedger.open(directory: environment.dataDirectory)
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "gateway"), peers: [:],
            logger: environment.logger)
        let gateway = Gateway(metadata: environment.metadata, ledger: ledger, node: node, logger: environment.logger)
        let replies = ReplyDeduplicator(database: ledger.store)
        let handlers = BusHandlers(request: { envelope, _ in
            if let request = envelope.payload(CompletionRequest.self) {
                return await replies.serve(envelope) { await gateway.complete(envelope, request) }
            }
            return await gateway.answer(envelope)
        })
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        return [NodeService(node: node, handlers: handlers)]
    }
}
