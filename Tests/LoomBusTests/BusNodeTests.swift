import Foundation
import LoomBus
import LoomContract
import LoomStore
import Synchronization
import Testing

@Suite struct BusNodeTests {
    @Test func undecodableAndOversizedFramesAreCountedAndTheNodeKeepsServing() async throws {
        let engine = try BusEngine(name: "strict")
        defer { engine.shutdown() }
        let node = try await BusNode.start(
            engine: engine, instance: "strict", listen: "tcp://127.0.0.1:*", peers: [:], codec: WireCodec(maxFrameBytes: 2048))
        let serving = Task { await node.serve(BusHandlers(request: { _, _ in HealthResult(service: "strict", instance: "strict", counters: [:]) })) }
        defer { serving.cancel() }

        let raw = try await engine.open(SocketSpec(kind: .dealer, connect: [node.listenEndpoint ?? ""], routingId: "raw"))
        // The raw DEALER refuses sends until its connection is complete; offer each frame until taken.
        func sendWhenConnected(_ frames: [Data]) async {
            while await engine.send(frames, on: raw.handle) == .peerUnavailable { try? await Task.sleep(for: .milliseconds(5)) }
        }
        await sendWhenConnected([Data("HELLO".utf8), Data("x".utf8)])  // not our protocol
        await sendWhenConnected([Data("LOOM1".utf8), Data("DELIVER".utf8), Data("{not json".utf8)])
        await sendWhenConnected([Data("LOOM1".utf8), Data("REQUEST".utf8), Data(repeating: 0x20, count: 4096)])
        await sendWhenConnected([Data("LOOM1".utf8), Data("BOGUS".utf8), Data()])

        #expect(await eventually {
            let counters = node.counters.snapshot()
            return counters["frames.rejected.signature"] == 1 && counters["frames.rejected.malformed"] == 1
                && counters["frames.rejected.oversized"] == 1 && counters["frames.rejected.verb"] == 1
        })

        // Still serving well-formed traffic afterwards.
        let clientEngine = try BusEngine(name: "client")
        defer { clientEngine.shutdown() }
        let client = try await BusNode.start(engine: clientEngine, instance: "client", listen: nil, peers: ["strict": node.listenEndpoint ?? ""])
        let clientServing = Task { await client.serve(BusHandlers()) }
        defer { clientServing.cancel() }
        let health = try await client.call(HealthQuery(), to: .peer("strict"), expecting: HealthResult.self)
        #expect(health.service == "strict")
    }

    @Test func aRepeatedRequestIdIsAnsweredFromTheReplyCacheWithoutRunningAgain() async throws {
        let database = try ServiceDatabase.inMemory()
        let replies = ReplyDeduplicator(database: database)
        let runs = BusCounters()
        let engine = try BusEngine(name: "callee")
        defer { engine.shutdown() }
        let callee = try await BusNode.start(engine: engine, instance: "callee", listen: "tcp://127.0.0.1:*", peers: [:])
        let serving = Task {
            await callee.serve(BusHandlers(request: { envelope, from in
                await replies.serve(envelope, from: from) {
                    runs.increment("runs")
                    let run = runs["runs"]
                    return Failure(code: "run-\(run)", message: "side effect number \(run)")
                }
            }))
        }
        defer { serving.cancel() }
        let clientEngine = try BusEngine(name: "caller")
        defer { clientEngine.shutdown() }
        let caller = try await BusNode.start(engine: clientEngine, instance: "caller", listen: nil, peers: ["callee": callee.listenEndpoint ?? ""])
        let callerServing = Task { await caller.serve(BusHandlers()) }
        defer { callerServing.cancel() }

        for _ in 0..<3 {
            let reply = try await caller.request(
                Envelope(id: "req-1", body: HealthQuery()), to: .peer("callee"), timeout: .seconds(2), attempts: 2)
            #expect(reply.payload(Failure.self)?.code == "run-1")
        }
        #expect(runs["runs"] == 1)
    }

    @Test func callsToAPeerThatIsDownFailWithATypedError() async throws {
        let engine = try BusEngine(name: "lonely")
        defer { engine.shutdown() }
        let node = try await BusNode.start(engine: engine, instance: "lonely", listen: nil, peers: ["nobody": try await freeEndpoint()])
        let serving = Task { await node.serve(BusHandlers()) }
        defer { serving.cancel() }
        await #expect(throws: BusError.self) {
            try await node.call(HealthQuery(), to: .peer("nobody"), expecting: HealthResult.self, timeout: .milliseconds(200), attempts: 2)
        }
    }

    @Test func backoffIsCappedAndJittered() {
        let backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        #expect(backoff.delay(afterAttempt: 0, random: 0) == .milliseconds(50))
        #expect(backoff.delay(afterAttempt: 0, random: 1) == .milliseconds(100))
        #expect(backoff.delay(afterAttempt: 2, random: 1) == .milliseconds(400))
        #expect(backoff.delay(afterAttempt: 20, random: 1) == .seconds(1))
        #expect(backoff.delay(afterAttempt: 20, random: 0) == .milliseconds(500))
    }

    @Test func derivedIdsAreDeterministic() {
        #expect(MessageID.derived("exe", from: "in_1") == MessageID.derived("exe", from: "in_1"))
        #expect(MessageID.derived("exe", from: "in_1") != MessageID.derived("exe", from: "in_2"))
        #expect(MessageID.derived("exe", from: "in_1", "a") != MessageID.derived("exe", from: "in_1", "b"))
        #expect(MessageID.random("m") != MessageID.random("m"))
    }
}
