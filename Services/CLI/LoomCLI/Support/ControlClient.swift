import Foundation
import LoomBus
import LoomConfig
import LoomContract

/// Asks a running service something over the bus (the same control path tests use), as the
/// operator whose key the suite's key directory (or `LOOM_BUS_SECRET_KEY`) holds.
enum ControlClient {
    /// The roster instance the CLI acts as: `LOOM_OPERATOR`, else `operator`.
    static var operatorInstance: String { ProcessInfo.processInfo.environment["LOOM_OPERATOR"] ?? "operator" }

    /// Runs `body` with one connected node, for many calls in a row (benchmarks).
    static func withNode<T: Sendable>(
        service: String, layout: SuiteLayout, _ body: (BusNode) async throws -> T
    ) async throws -> T {
        let security = try BusSecurity.load(
            layout: layout, identity: BusIdentity(role: .operator, instance: operatorInstance))
        let engine = try BusEngine(name: "loom-cli-bus", security: security)
        defer { engine.shutdown() }
        let node = try await BusNode.start(
            engine: engine, instance: "\(security.identity.instance).\(MessageID.random("cli"))", listen: nil,
            peers: [service: layout.endpoint(of: service)])
        let serving = Task { await node.serve(BusHandlers()) }
        defer { serving.cancel() }
        return try await body(node)
    }

    static func call<Reply: MessagePayload>(
        _ payload: any MessagePayload, service: String, layout: SuiteLayout, expecting: Reply.Type,
        timeout: Duration = .seconds(3)
    ) async throws -> Reply {
        do {
            return try await withNode(service: service, layout: layout) { node in
                try await node.call(payload, to: .peer(service), expecting: Reply.self, timeout: timeout, attempts: 2)
            }
        } catch let error as BusError {
            throw SuiteUnreachable(service: service, endpoint: layout.endpoint(of: service), reason: "\(error)")
        }
    }
}

/// No answer from a service: names the address tried and where the addresses come from.
struct SuiteUnreachable: Error, CustomStringConvertible {
    var service: String
    var endpoint: String
    var reason: String

    var description: String {
        "no answer from the \(service) at \(endpoint): \(reason). Is the suite running? `loom up` records "
            + "where it listens in <data>/\(RunningSuite.fileName); point at it with --data-dir DIR, --config DIR, "
            + "--url URL or --bus-port PORT"
    }
}
