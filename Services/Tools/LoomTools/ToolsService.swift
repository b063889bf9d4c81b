import Foundation
import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the tool executor process: its record store and a bus node answering record calls.
public enum ToolsService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let records = try RecordStore.open(
            directory: environment.dataDirectory, seed: environment.metadata.records,
            outcomes: try DataKey.load(for: environment))
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "tools"),
            // The trust link carries refusal reports to the audit log.
            peers: ["trust": environment.layout.endpoint(of: "trust")],
            logger: environment.logger)
        let objectTypes = Set(environment.metadata.records.objects.keys)
        let variables = ProcessInfo.processInfo.environment
        let host = SandboxPlan.Host.current(
            metadata: environment.metadata, layout: environment.layout, configDirectory: environment.configDirectory,
            environment: variables)
        let mcp = McpTools(metadata: environment.metadata, host: host, environment: variables, logger: environment.logger)
        let runner = ToolRunner(
            records: records, metadata: environment.metadata, commands: CommandTool(host: host, environment: variables),
            mcp: mcp, environment: variables)
        let handlers = BusHandlers(request: { envelope, _ in
            switch envelope.body {
            case is HealthQuery:
                var counters = node.counters.snapshot()
                counters["sideEffects.performed"] = runner.sideEffectsPerformed
                for (name, supervisor) in mcp.supervisors {
                    counters["mcp.\(name).up"] = await supervisor.isUp ? 1 : 0
                    counters["mcp.\(name).restarts"] = await supervisor.restarts
                }
                counters["sideEffects.recorded"] = (try? await records.store.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM toolCall") ?? 0
                }) ?? -1
                return HealthResult(service: "tools", instance: node.instance, counters: counters)
            case let request as ToolCallRequest:
                return await runner.run(request)
            case let request as RecordGetRequest:
                guard objectTypes.contains(request.objectType) else {
                    return Failure(code: "unknown_object_type", message: "no object type '\(request.objectType)' in the record store")
                }
                do {
                    return try await records.get(request)
                } catch {
                    return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
                }
            default:
                return Failure(code: "unsupported_request", message: "the tools service does not answer \(envelope.kind.rawValue)")
            }
        })
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        let retention = RetentionSweeper(
            database: records.store, policy: environment.layout.retention, logger: environment.logger,
            steps: [{ cutoffs, limit in
                guard let cutoff = cutoffs.cutoff(.dedup) else { return 0 }
                return try await records.forgetOutcomes(before: cutoff, limit: limit)
            }])
        return [mcp.service, NodeService(node: node, handlers: handlers), retention.service]
    }
}
