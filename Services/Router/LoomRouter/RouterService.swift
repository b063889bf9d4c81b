import LoomBus
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the router process: its database, its bus node (listening for the ingress and the
/// orchestrator, linked to the orchestrator) and its outbox relay.
public enum RouterService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let database = try RouterDatabase.open(
            directory: environment.dataDirectory, bodies: try DataKey.load(for: environment))
        let layout = environment.layout
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "router"),
            peers: ["orchestrator": layout.endpoint(of: "orchestrator"), "trust": layout.endpoint(of: "trust")],
            logger: environment.logger)
        let router = Router(database: database, metadata: environment.metadata, node: node, logger: environment.logger)
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        let retention = RetentionSweeper(
            database: database.store, policy: environment.layout.retention, logger: environment.logger,
            steps: [{ cutoffs, limit in
                guard let cutoff = cutoffs.cutoff(.messageBodies) else { return 0 }
                return try await database.removeBodies(before: cutoff, now: cutoffs.now, limit: limit)
            }])
        return [
            NodeService(node: node, handlers: router.handlers), RelayService(relay: router.relay), retention.service,
        ]
    }
}
