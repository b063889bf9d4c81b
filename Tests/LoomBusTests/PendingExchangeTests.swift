import Foundation
import LoomBus
import LoomContract
import LoomStore
import Synchronization
import Testing

@testable import LoomBus

/// Waiting for answers: several waiters on one id, timers that end only their own wait, and
/// requests in flight resent the moment their callee is back.
@Suite struct PendingExchangeTests {
    @Test func everyWaiterOnAKeyHearsTheAnswerFromTheRightPeerOnly() {
        var pending = PendingExchanges<String>()
        let first = pending.register("ack:m1", address: .peer("router"), continuation: "first", resend: { .sent })
        _ = pending.register("ack:m1", address: .peer("router"), continuation: "second", resend: { .sent })
        #expect(pending.answer("ack:m1", from: .peer("impostor")).isEmpty)
        #expect(pending.count == 2)
        // A stale timer of the first attempt ends nothing but its own ticket.
        #expect(pending.remove("ack:m1", ticket: first)?.continuation == "first")
        #expect(pending.remove("ack:m1", ticket: first) == nil)
        _ = pending.register("ack:m1", address: .peer("router"), continuation: "third", resend: { .sent })
        #expect(pending.answer("ack:m1", from: .peer("router")).map(\.waiter.continuation) == ["second", "third"])
        #expect(pending.count == 0)
    }

    @Test func aReconnectionResendsEachKeyOnceForItsPeer() async {
        var pending = PendingExchanges<Int>()
        let sends = BusCounters()
        for (key, peer) in [("reply:a", "gateway"), ("reply:a", "gateway"), ("reply:b", "gateway"), ("reply:c", "tools")] {
            _ = pending.register(key, address: .peer(peer), continuation: 0, resend: {
                sends.increment(key)
                return .sent
            })
        }
        for resend in pending.resends(to: .peer("gateway")) { _ = await resend() }
        #expect(sends.snapshot() == ["reply:a": 1, "reply:b": 1])
    }

    @Test func twoDeliveriesOfOneMessageIdBothGetTheAcknowledgement() async throws {
        let engine = try BusEngine(name: "receiver")
        defer { engine.shutdown() }
        let receiver = try await BusNode.start(engine: engine, instance: "receiver", listen: "tcp://127.0.0.1:*", peers: [:])
        let serving = Task {
            await receiver.serve(BusHandlers(deliver: { envelope, _ in
                // Slow enough that the second delivery arrives while the first still waits.
                try? await Task.sleep(for: .milliseconds(300))
                return HopAck(messageId: envelope.id, outcome: .stored)
            }))
        }
        defer { serving.cancel() }
        let clientEngine = try BusEngine(name: "sender")
        defer { clientEngine.shutdown() }
        let sender = try await BusNode.start(
            engine: clientEngine, instance: "sender", listen: nil, peers: ["receiver": receiver.listenEndpoint ?? ""])
        let senderServing = Task { await sender.serve(BusHandlers()) }
        defer { senderServing.cancel() }

        let envelope = Envelope(id: "in-same-key", body: TraceQuery(executionId: "e"))
        async let first = sender.deliverAwaitingAck(envelope, to: .peer("receiver"), timeout: .seconds(10), attempts: 1)
        async let second = sender.deliverAwaitingAck(envelope, to: .peer("receiver"), timeout: .seconds(10), attempts: 1)
        let acks = try await [first, second]
        #expect(acks.map(\.messageId) == ["in-same-key", "in-same-key"])
    }

    @Test func aRequestInFlightIsResentWhenItsCalleeComesBack() async throws {
        let endpoint = try await freeEndpoint()
        let heard = BusCounters()
        // The first callee takes the request and dies without answering, like a SIGKILLed gateway.
        let dying = try BusEngine(name: "callee-1")
        let first = try await BusNode.start(engine: dying, instance: "callee", listen: endpoint, peers: [:])
        let firstServing = Task {
            await first.serve(BusHandlers(request: { _, _ in
                heard.increment("first")
                try? await Task.sleep(for: .seconds(60))
                return Failure(code: "never", message: "never sent")
            }))
        }
        let clientEngine = try BusEngine(name: "caller")
        defer { clientEngine.shutdown() }
        let caller = try await BusNode.start(engine: clientEngine, instance: "caller", listen: nil, peers: ["callee": endpoint])
        let callerServing = Task { await caller.serve(BusHandlers()) }
        defer { callerServing.cancel() }

        // One attempt with a long timeout: only a resend on reconnection can answer it in time.
        let call = Task {
            try await caller.call(
                HealthQuery(), to: .peer("callee"), expecting: HealthResult.self, requestId: "req-in-flight",
                timeout: .seconds(45), attempts: 1)
        }
        #expect(await eventually { heard["first"] == 1 })
        firstServing.cancel()
        dying.shutdown()

        let engine = try BusEngine(name: "callee-2")
        defer { engine.shutdown() }
        let second = try await BusNode.start(engine: engine, instance: "callee", listen: endpoint, peers: [:])
        let secondServing = Task {
            await second.serve(BusHandlers(request: { envelope, _ in
                heard.increment(envelope.id)
                return HealthResult(service: "callee", instance: "callee", counters: [:])
            }))
        }
        defer { secondServing.cancel() }
        let answer = try await call.value
        #expect(answer.service == "callee")
        #expect(heard["req-in-flight"] == 1)
        #expect(caller.counters["requests.resentOnReconnect"] >= 1)
    }

    @Test func aRequestLongPastItsDeadlineIsRefusedAsExpired() async throws {
        let engine = try BusEngine(name: "callee")
        defer { engine.shutdown() }
        let ran = BusCounters()
        let callee = try await BusNode.start(engine: engine, instance: "callee", listen: "tcp://127.0.0.1:*", peers: [:])
        let serving = Task {
            await callee.serve(BusHandlers(request: { _, _ in
                ran.increment("runs")
                return HealthResult(service: "callee", instance: "callee", counters: [:])
            }))
        }
        defer { serving.cancel() }
        let clientEngine = try BusEngine(name: "caller")
        defer { clientEngine.shutdown() }
        let caller = try await BusNode.start(
            engine: clientEngine, instance: "caller", listen: nil, peers: ["callee": callee.listenEndpoint ?? ""])
        let callerServing = Task { await caller.serve(BusHandlers()) }
        defer { callerServing.cancel() }

        let stale = Envelope(id: "req-stale", deadline: Date().addingTimeInterval(-120), body: HealthQuery())
        let reply = try await caller.request(stale, to: .peer("callee"), timeout: .seconds(5), attempts: 2)
        #expect(reply.payload(Failure.self)?.code == "expired")
        #expect(reply.payload(Failure.self)?.retryable == true)
        let fresh = Envelope(id: "req-fresh", deadline: Date().addingTimeInterval(-5), body: HealthQuery())
        #expect(try await caller.request(fresh, to: .peer("callee"), timeout: .seconds(5), attempts: 2).payload(HealthResult.self) != nil)
        #expect(ran["runs"] == 1)
    }

    @Test func anExpiredOutboxRowIsDeadLetteredInsteadOfSent() async throws {
        let directory = try TemporaryDirectory()
        let endpoint = try await freeEndpoint()
        let receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: endpoint, peers: [:])
        defer { receiver.stop() }
        let sender = try await HopProcess(name: "sender", directory: directory.url, listen: nil, peers: ["receiver": endpoint])
        defer { sender.stop() }
        let codec = sender.node.codec
        try await sender.database.write { db in
            for (id, expiry) in [("gone", -1.0), ("awaited", 60)] {
                let envelope = Envelope(id: id, body: TraceQuery(executionId: id))
                try db.enqueueOutbox(
                    messageId: id, destination: "peer:receiver", kind: envelope.kind.rawValue,
                    payload: try codec.encode(envelope), expiresAt: Date().addingTimeInterval(expiry))
            }
        }
        sender.relay.wake()
        #expect(try await eventually { try await sender.unacked() == 0 })
        #expect(try await receiver.inboxCount() == 1)
        let reasons = try await sender.database.read { db in try String.fetchAll(db, sql: "SELECT reason FROM deadLetter") }
        #expect(reasons.count == 1 && reasons[0].hasPrefix("expired"))
        #expect(sender.node.counters["outbox.expired"] == 1)
    }
}
