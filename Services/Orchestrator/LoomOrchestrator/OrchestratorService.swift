import LoomBus
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the orchestrator process: database, bus node (listening for the router, linked to
/// trust, gateway and tools), outbox relay and turn scheduler.
public enum OrchestratorService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let database = try OrchestratorDatabase.open(
            directory: environment.dataDirectory, sealing: try DataKey.load(for: environment))
        let layout = environment.layout
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: layout.endpoint(of: "orchestrator"),
            peers: ["trust": layout.endpoint(of: "trust"), "gateway": layout.endpoint(of: "gateway"), "tools": layout.endpoint(of: "tools")],
            logger: environment.logger)
        let orchestrator = Orchestrator(database: database, metadata: environment.metadata, node: node, logger: environment.logger)
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        return [
            NodeService(node: node, handlers: orchestrator.handlers),
            RelayService(relay: orchestrator.relay),
            WorkerService { await orchestrator.scheduler.run() },
            RetentionSweeper(
                database: database.store, policy: layout.retention, logger: environment.logger,
                steps: [{ cutoffs, limit in
                    guard let cutoff = cutoffs.cutoff(.messageBodies) else { return 0 }
                    return try await database.store.write { db in
                        try ExecutionEventLog.forgetPieces(db, before: cutoff, limit: limit)
                    }
                }]
            ).service,
        ]
    }
}
