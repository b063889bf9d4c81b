import Foundation
import LoomBus
import LoomContract
import LoomStore
import Synchronization
import Testing

/// The custody hop: every queued message ends up exactly once in the receiver's store, whatever
/// is lost or restarted in between.
@Suite(.serialized) struct ReliableHopTests {
    @Test func deliversExactlyOnceWhenTheFirstAcknowledgementIsLost() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: "tcp://127.0.0.1:*", peers: [:])
        defer { receiver.stop() }
        let proxy = try await AckDroppingProxy(upstreamOf: receiver.endpoint, dropFirst: 1)
        defer { proxy.stop() }
        let sender = try await HopProcess(name: "sender", directory: directory.url, listen: nil, peers: ["receiver": proxy.endpoint])
        defer { sender.stop() }

        try await sender.enqueue(1, to: .peer("receiver"))

        #expect(try await eventually { try await sender.unacked() == 0 })
        #expect(proxy.dropped["acks"] == 1)
        #expect(try await receiver.inboxCount() == 1)
        #expect(receiver.deliveries["stored"] == 1)
        // The resend after the lost ACK reached the receiver and was recognised as a duplicate.
        #expect(receiver.deliveries["duplicate"] >= 1)
    }

    @Test func deliversEverythingOnceWhenTheReceiverRestarts() async throws {
        let directory = try TemporaryDirectory()
        let endpoint = try await freeEndpoint()
        var receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: endpoint, peers: [:])
        let sender = try await HopProcess(name: "sender", directory: directory.url, listen: nil, peers: ["receiver": endpoint])
        defer { sender.stop() }

        try await sender.enqueue(20, to: .peer("receiver"), prefix: "a")
        #expect(try await eventually { try await receiver.inboxCount() == 20 })
        receiver.stop()

        // Queued while the receiver is down: nothing can be delivered, nothing may be lost.
        try await sender.enqueue(20, to: .peer("receiver"), prefix: "b")
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await sender.unacked() == 20)

        receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: endpoint, peers: [:])
        defer { receiver.stop() }
        #expect(try await eventually { try await sender.unacked() == 0 })
        #expect(try await receiver.inboxCount() == 40)
    }

    @Test func aRestartedSenderResendsItsOutbox() async throws {
        let directory = try TemporaryDirectory()
        let endpoint = try await freeEndpoint()
        var sender = try await HopProcess(name: "sender", directory: directory.url, listen: nil, peers: ["receiver": endpoint])
        try await sender.enqueue(10, to: .peer("receiver"))
        try await Task.sleep(for: .milliseconds(200))
        sender.stop()  // dies with its whole outbox unacknowledged

        let receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: endpoint, peers: [:])
        defer { receiver.stop() }
        sender = try await HopProcess(name: "sender", directory: directory.url, listen: nil, peers: ["receiver": endpoint])
        defer { sender.stop() }

        #expect(try await eventually { try await sender.unacked() == 0 })
        #expect(try await receiver.inboxCount() == 10)
        #expect(receiver.deliveries["stored"] == 10)
    }

    @Test func aRejectedMessageIsDeadLetteredNotRetried() async throws {
        let directory = try TemporaryDirectory()
        let engine = try BusEngine(name: "rejecting")
        defer { engine.shutdown() }
        let receiverNode = try await BusNode.start(engine: engine, instance: "receiver", listen: "tcp://127.0.0.1:*", peers: [:])
        let serving = Task { await receiverNode.serve(BusHandlers()) }  // the default handler rejects deliveries
        defer { serving.cancel() }
        let sender = try await HopProcess(
            name: "sender", directory: directory.url, listen: nil, peers: ["receiver": receiverNode.listenEndpoint ?? ""])
        defer { sender.stop() }

        try await sender.enqueue(1, to: .peer("receiver"))
        #expect(try await eventually { try await sender.unacked() == 0 })
        let deadLetters = try await sender.database.read { db in try OutboxQueries.deadLetterCount(db) }
        #expect(deadLetters == 1)
    }
}

/// Sits between a sender and a receiver and drops the first N acknowledgements.
final class AckDroppingProxy: Sendable {
    let engine: BusEngine
    let endpoint: String
    let dropped = BusCounters()
    private let task: Task<Void, Never>

    init(upstreamOf receiver: String, dropFirst: Int) async throws {
        let engine = try BusEngine(name: "proxy")
        let front = try await engine.open(SocketSpec(kind: .router, bind: ["tcp://127.0.0.1:*"]))
        let back = try await engine.open(SocketSpec(kind: .dealer, connect: [receiver], routingId: "proxy"))
        self.engine = engine
        self.endpoint = front.boundEndpoints.first ?? ""
        let client = ClientSlot()
        let dropped = self.dropped
        task = Task {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await message in front.messages {
                        let frames = message.frames
                        client.value.withLock { $0 = frames.first }
                        await engine.send(Array(frames.dropFirst()), on: back.handle)
                    }
                }
                group.addTask {
                    for await message in back.messages {
                        let frames = message.frames
                        let isAck = frames.count > 1 && frames[1] == Data("ACK".utf8)
                        if isAck && dropped["acks"] < dropFirst {
                            dropped.increment("acks")
                            continue
                        }
                        guard let id = client.value.withLock({ $0 }) else { continue }
                        await engine.send([id] + frames, on: front.handle)
                    }
                }
            }
        }
    }

    func stop() {
        task.cancel()
        engine.shutdown()
    }
}

/// The routing id of the one client the proxy serves.
final class ClientSlot: Sendable {
    let value = Mutex<Data?>(nil)
}
