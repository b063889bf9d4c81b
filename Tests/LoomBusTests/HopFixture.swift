import Foundation
import LoomBus
import LoomContract
import LoomStore
import Synchronization

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// One side of a hop running as if it were its own process: its own ZeroMQ context, node,
/// database file and (for senders) outbox relay. `stop()` is a crash-like stop: the sockets
/// close and nothing in memory survives; only the SQLite file does.
final class HopProcess: Sendable {
    let engine: BusEngine
    let node: BusNode
    let database: ServiceDatabase
    let relay: OutboxRelay
    /// `stored` and `duplicate` deliveries this receiver has seen.
    let deliveries = BusCounters()
    private let tasks: Mutex<[Task<Void, Never>]> = Mutex([])

    init(
        name: String, directory: URL, listen: String?, peers: [String: String], codec: WireCodec = WireCodec(),
        backoff: Backoff = Backoff(base: .milliseconds(100), cap: .milliseconds(400))
    ) async throws {
        engine = try BusEngine(name: name)
        database = try ServiceDatabase.open(directory: directory, service: name)
        node = try await BusNode.start(engine: engine, instance: name, listen: listen, peers: peers, codec: codec)
        relay = OutboxRelay(node: node, database: database, backoff: backoff)
        let handlers = BusHandlers(
            deliver: { [database, deliveries] envelope, from in
                do {
                    let isNew = try await database.write { db in
                        try db.recordInbox(messageId: envelope.id, source: from.description, kind: envelope.kind.rawValue, payload: nil)
                    }
                    deliveries.increment(isNew ? "stored" : "duplicate")
                    return HopAck(messageId: envelope.id, outcome: isNew ? .stored : .duplicate)
                } catch {
                    return HopAck(messageId: envelope.id, outcome: .retryLater)
                }
            },
            acknowledged: { [relay] ack, from in await relay.handle(ack, from: from) })
        let node = self.node
        let relay = self.relay
        tasks.withLock {
            $0.append(Task { await node.serve(handlers) })
            $0.append(Task {
                try? await relay.resumeAfterRestart()
                await relay.run()
            })
        }
    }

    var endpoint: String { node.listenEndpoint ?? "" }

    /// Queues messages in the outbox the way a service does inside its own transaction.
    func enqueue(_ count: Int, to destination: PeerAddress, prefix: String = "m") async throws {
        let codec = node.codec
        try await database.write { db in
            for index in 0..<count {
                let envelope = Envelope(id: "\(prefix)-\(index)", body: TraceQuery(executionId: "e\(index)"))
                try db.enqueueOutbox(messageId: envelope.id, destination: destination.description, kind: envelope.kind.rawValue, payload: try codec.encode(envelope))
            }
        }
        relay.wake()
    }

    func inboxCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inboxMessage") ?? 0 }
    }

    func unacked() async throws -> Int {
        try await database.read { db in try OutboxQueries.unackedCount(db) }
    }

    func stop() {
        tasks.withLock { tasks in
            tasks.forEach { $0.cancel() }
            tasks.removeAll()
        }
        engine.shutdown()
    }
}

/// Polls until `condition` holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}

/// A free loopback TCP endpoint (bound once by the kernel, then released). Async: blocking a
/// thread of the cooperative pool while the probe needs one deadlocks on a 2-core machine.
func freeEndpoint() async throws -> String {
    let engine = try BusEngine(name: "port-probe")
    defer { engine.shutdown() }
    let socket = try await engine.open(SocketSpec(kind: .router, bind: ["tcp://127.0.0.1:*"]))
    guard let endpoint = socket.boundEndpoints.first else { throw BusError.peerUnavailable("no free port") }
    return endpoint
}
