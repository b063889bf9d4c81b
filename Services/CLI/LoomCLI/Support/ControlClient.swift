import Foundation
import LoomBus
import LoomConfig
import LoomContract

/// Asks a running service something over the bus (the same control path tests use).
enum ControlClient {
    /// Runs `body` with one connected node, for many calls in a row (benchmarks).
    static func withNode<T: Sendable>(service: String, layout: SuiteLayout, _ body: (BusNode) async throws -> T) async throws -> T {
        let engine = try BusEngine(name: "loom-cli-bus")
        defer { engine.shutdown() }
        let node = try await BusNode.start(
            engine: engine, instance: MessageID.random("cli"), listen: nil, peers: [service: layout.endpoint(of: service)])
        let serving = Task { await node.serve(BusHandlers()) }
        defer { serving.cancel() }
        return try await body(node)
    }

    static func call<Reply: MessagePayload>(
        _ payload: any MessagePayload, service: String, layout: SuiteLayout, expecting: Reply.Type, timeout: Duration = .seconds(3)
    ) async throws -> Reply {
        let engine = try BusEngine(name: "loom-cli-bus")
        defer { engine.shutdown() }
        let node = try await BusNode.start(
            engine: engine, instance: MessageID.random("cli"), listen: nil, peers: [service: layout.endpoint(of: service)])
        let serving = Task { await node.serve(BusHandlers()) }
        defer { serving.cancel() }
        return try await node.call(payload, to: .peer(service), expecting: Reply.self, timeout: timeout, attempts: 2)
    }
}
