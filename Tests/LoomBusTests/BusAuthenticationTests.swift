import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Synchronization
import Testing

/// CURVE and ZAP through real libzmq sockets: only roster keys connect, each frame carries the
/// sender's roster identity, the kind table decides what is served, and a routing id belongs
/// to one key.
@Suite struct BusAuthenticationTests {
    /// A roster with a trust server, an orchestrator, a router and an outsider key kept off it.
    struct Keys {
        let trust: CurveKeyPair, orchestrator: CurveKeyPair, router: CurveKeyPair, ingress: CurveKeyPair, outsider: CurveKeyPair

        init() throws {
            (trust, orchestrator, router) = (try .generate(), try .generate(), try .generate())
            (ingress, outsider) = (try .generate(), try .generate())
        }

        var roster: BusRoster {
            var roster = BusRoster()
            roster.add(BusIdentity(role: .trust, instance: "trust"), publicKey: trust.publicKey)
            roster.add(BusIdentity(role: .orchestrator, instance: "orchestrator"), publicKey: orchestrator.publicKey)
            roster.add(BusIdentity(role: .router, instance: "router"), publicKey: router.publicKey)
            roster.add(BusIdentity(role: .ingress, instance: "ingress"), publicKey: ingress.publicKey)
            return roster
        }
    }

    final class Server: Sendable {
        let engine: BusEngine
        let node: BusNode
        let served = BusCounters()
        let reports = ReportLog()
        private let task: Task<Void, Never>

        /// - Parameter role: the role the trust key serves as (its roster line says trust; only
        ///   the listener's admission rules change).
        init(keys: Keys, role: BusRole = .trust) async throws {
            let security = BusSecurity(
                identity: BusIdentity(role: role, instance: "trust"), mode: .curve(keys.trust, RosterStore(keys.roster)))
            engine = try BusEngine(name: "trust", security: security)
            node = try await BusNode.start(engine: engine, instance: "trust", listen: "tcp://127.0.0.1:*", peers: [:])
            let served = served
            let reports = reports
            node.reportRefusals { report in reports.entries.withLock { $0.append(report) } }
            let node = node
            task = Task {
                await node.serve(BusHandlers(request: { envelope, from in
                    served.increment(envelope.kind.rawValue)
                    return HealthResult(service: "trust", instance: node.identity(of: from)?.userId ?? "?", counters: [:])
                }))
            }
        }

        func stop() {
            task.cancel()
            engine.shutdown()
        }
    }

    /// A client node of `identity` presenting `pair` (nil: plain ZMTP, no key at all).
    func client(
        _ pair: CurveKeyPair?, as identity: BusIdentity, routingId: String? = nil, server: Server, keys: Keys
    ) async throws -> (BusEngine, BusNode, Task<Void, Never>) {
        let mode: BusSecurity.Mode = pair.map { .curve($0, RosterStore(keys.roster)) } ?? .insecure
        let engine = try BusEngine(name: identity.instance, security: BusSecurity(identity: identity, mode: mode))
        let node = try await BusNode.start(
            engine: engine, instance: routingId ?? identity.instance, listen: nil, peers: ["trust": server.node.listenEndpoint ?? ""])
        return (engine, node, Task { await node.serve(BusHandlers()) })
    }

    func unmask(_ node: BusNode) async throws -> HealthResult {
        try await node.call(
            UnmaskRequest(scope: "ses_1", texts: ["[EMAIL_1]"]), to: .peer("trust"), expecting: HealthResult.self,
            correlation: Correlation(sessionId: "ses_1"), timeout: .milliseconds(400), attempts: 1)
    }

    @Test func theRightRoleIsServedAndTheFrameCarriesItsRosterIdentity() async throws {
        let keys = try Keys()
        let server = try await Server(keys: keys)
        defer { server.stop() }
        let (engine, node, task) = try await client(
            keys.orchestrator, as: BusIdentity(role: .orchestrator, instance: "orchestrator"), server: server, keys: keys)
        defer { task.cancel(); engine.shutdown() }
        #expect(try await unmask(node).instance == "orchestrator/orchestrator")
        #expect(server.served["trust.unmask"] == 1)
    }

    @Test func noKeyAndAnUnknownKeyNeverGetAFrameThrough() async throws {
        let keys = try Keys()
        let server = try await Server(keys: keys)
        defer { server.stop() }
        for pair in [nil, keys.outsider] {
            let (engine, node, task) = try await client(pair, as: BusIdentity(role: .orchestrator, instance: "orchestrator"), server: server, keys: keys)
            await #expect(throws: BusError.self) { try await unmask(node) }
            if pair == nil {
                // libzmq retries the handshake while the client lives; the monitor counts it.
                #expect(await eventually(timeout: .seconds(5)) { server.engine.refusals.counters["refused.handshake"] >= 1 })
            }
            task.cancel()
            engine.shutdown()
        }
        #expect(server.served.snapshot().isEmpty)
        #expect(server.engine.refusals.counters["refused.unknown_key"] >= 1)
        #expect(await eventually(timeout: .seconds(5)) { server.reports.entries.withLock { $0.contains { $0.reason == "unknown_key" } } })
    }

    @Test func aRosterKeyOfTheWrongRoleIsRefusedCountedAndReported() async throws {
        let keys = try Keys()
        let server = try await Server(keys: keys)
        defer { server.stop() }
        let (engine, node, task) = try await client(keys.router, as: BusIdentity(role: .router, instance: "router"), server: server, keys: keys)
        defer { task.cancel(); engine.shutdown() }
        await #expect(throws: Failure.self) { try await unmask(node) }
        do {
            _ = try await unmask(node)
        } catch let failure as Failure {
            #expect(failure.code == "forbidden")
        }
        #expect(server.served["trust.unmask"] == 0)
        #expect(server.engine.refusals.counters["refused.forbidden.router/router.trust.unmask"] == 2)
        // Throttled: the first refusal is reported at once, the second waits for the window.
        let reports = server.reports.entries.withLock { $0 }
        #expect(reports.count == 1)
        #expect(reports.first?.peer == "router/router" && reports.first?.refusedKind == "trust.unmask" && reports.first?.count == 1)
    }

    @Test func aListenerAdmitsOnlyRolesThatMaySendItSomething() async throws {
        let keys = try Keys()
        // Served as a tools listener: only orchestrators and operators have anything to send it.
        let server = try await Server(keys: keys, role: .tools)
        defer { server.stop() }
        let (engine, node, task) = try await client(keys.router, as: BusIdentity(role: .router, instance: "router"), server: server, keys: keys)
        defer { task.cancel(); engine.shutdown() }
        await #expect(throws: BusError.self) { try await unmask(node) }
        #expect(server.served.snapshot().isEmpty)
        #expect(server.engine.refusals.counters["refused.role_not_admitted.router/router.connection"] >= 1)
        #expect(MessageKind.senders(to: .tools) == [.orchestrator, .operator])
        #expect(MessageKind.senders(to: .gateway) == [.orchestrator, .operator])
        #expect(MessageKind.senders(to: .router) == [.ingress, .orchestrator, .operator])
    }

    @Test func aRoutingIdThatBelongsToAnotherMemberIsRefused() async throws {
        let keys = try Keys()
        let server = try await Server(keys: keys)
        defer { server.stop() }
        // The router's key claiming the orchestrator's routing id.
        let (engine, node, task) = try await client(
            keys.router, as: BusIdentity(role: .router, instance: "router"), routingId: "orchestrator", server: server, keys: keys)
        defer { task.cancel(); engine.shutdown() }
        await #expect(throws: BusError.self) { try await unmask(node) }
        #expect(server.served.snapshot().isEmpty)
        #expect(server.engine.refusals.counters["refused.routing_id_mismatch"] >= 1)
    }

    @Test func aSecondPeerUnderALiveRoutingIdCannotTakeItsRepliesOver() async throws {
        let keys = try Keys()
        let server = try await Server(keys: keys)
        defer { server.stop() }
        let orchestrator = BusIdentity(role: .orchestrator, instance: "orchestrator")
        let (engine, node, task) = try await client(keys.orchestrator, as: orchestrator, server: server, keys: keys)
        defer { task.cancel(); engine.shutdown() }
        #expect(try await unmask(node).instance == "orchestrator/orchestrator")
        // An impostor with the ingress key and the orchestrator's routing id connects...
        let (impostorEngine, impostor, impostorTask) = try await client(
            keys.ingress, as: BusIdentity(role: .ingress, instance: "ingress"), routingId: "orchestrator", server: server, keys: keys)
        defer { impostorTask.cancel(); impostorEngine.shutdown() }
        await #expect(throws: (any Error).self) { try await unmask(impostor) }
        // ...and the real peer keeps its address and its answers.
        for _ in 0..<3 { #expect(try await unmask(node).instance == "orchestrator/orchestrator") }
    }

    @Test func rosterTextRoundTripsAndRejectsMistakesByLine() throws {
        let keys = try Keys()
        #expect(try BusRoster(parsing: keys.roster.text) == keys.roster)
        #expect(throws: BusSecurityError.self) { try BusRoster(parsing: "wizard w \(keys.trust.publicKey)") }
        #expect(throws: BusSecurityError.self) { try BusRoster(parsing: "trust trust short") }
        #expect(throws: BusSecurityError.self) { try BusRoster(parsing: "trust a.b \(keys.trust.publicKey)") }
        let twice = "trust t1 \(keys.trust.publicKey)\ntrust t2 \(keys.trust.publicKey)"
        #expect(throws: BusSecurityError.self) { try BusRoster(parsing: twice) }
        #expect(try CurveKeyPair(secretKey: keys.trust.secretKey) == keys.trust)
    }

    @Test func theKeyDirectoryKeepsExistingKeysAndProtectsSecretOnes() throws {
        let directory = try TemporaryDirectory()
        let keys = BusKeyDirectory(directory.url.appendingPathComponent("keys"))
        let first = try keys.initialize()
        let second = try keys.initialize(members: BusKeyDirectory.suiteMembers + [BusIdentity(role: .ingress, instance: "ingress-2")])
        #expect(second.members.count == first.members.count + 1)
        #expect(first.members.allSatisfy { second.members[$0.key] == $0.value })
        let mode = try FileManager.default.attributesOfItem(atPath: keys.keyFile(of: "trust").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try keys.keyPair(of: "trust").publicKey == second.publicKey(of: "trust")?.key)
    }

    @Test func refusalsAreReportedFirstThenOncePerWindowWithTheirCount() {
        let clock = TestInstant(offset: .zero)
        var throttle = RefusalThrottle<TestInstant>(window: .seconds(60))
        let refusal = BusRefusal(peer: "router/router", counted: "router/router", kind: "trust.unmask", reason: "forbidden")
        #expect(throttle.admit(refusal, at: clock) == 1)
        #expect(throttle.admit(refusal, at: clock.advanced(by: .seconds(1))) == nil)
        #expect(throttle.admit(refusal, at: clock.advanced(by: .seconds(2))) == nil)
        #expect(throttle.admit(refusal, at: clock.advanced(by: .seconds(61))) == 3)
        var other = refusal
        other.kind = "tools.call"
        #expect(throttle.admit(other, at: clock.advanced(by: .seconds(62))) == 1)
    }

    @Test func theKindTableAdmitsOnlyTheOwningRoles() {
        #expect(MessageKind.unmaskRequest.permittedSenders(to: .trust) == [.orchestrator, .operator])
        #expect(MessageKind.toolCallRequest.permittedSenders(to: .tools) == [.orchestrator])
        #expect(MessageKind.completionRequest.permittedSenders(to: .gateway) == [.orchestrator])
        #expect(MessageKind.inboundMessage.permittedSenders(to: .router) == [.ingress])
        #expect(MessageKind.executionRequest.permittedSenders(to: .orchestrator) == [.router])
        #expect(MessageKind.auditAppend.permittedSenders(to: .trust) == [.orchestrator])
        #expect(!MessageKind.inboundMessage.permits(.ingress, to: .orchestrator))
        #expect(!MessageKind.traceQuery.permits(.ingress, to: .orchestrator))
        #expect(MessageKind.traceQuery.permits(.operator, to: .orchestrator))
        // No reply kind is ever served as a request.
        for kind in MessageKind.allCases where kind.rawValue.hasSuffix(".result") || kind == .failure {
            #expect(BusRole.allCases.allSatisfy { receiver in kind.permittedSenders(to: receiver).isEmpty }, "\(kind)")
        }
    }
}

/// Refusal reports a test server received.
final class ReportLog: Sendable {
    let entries = Mutex<[BusRefusalReport]>([])
}

/// A clock reading for the throttle's tests.
struct TestInstant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (lhs: TestInstant, rhs: TestInstant) -> Bool { lhs.offset < rhs.offset }
}

/// What a process refuses to start with: a key the roster does not list as its own.
@Suite struct BusSecurityLoadingTests {
    @Test func aProcessStartsOnlyAsTheMemberTheRosterListsForItsKey() throws {
        let directory = try TemporaryDirectory()
        let keys = BusKeyDirectory(directory.url.appendingPathComponent("keys"))
        try keys.initialize()
        var layout = SuiteLayout(dataDirectory: directory.url.path)
        let router = try BusSecurity.load(layout: layout, identity: BusIdentity(role: .router, instance: "router"))
        #expect(router.isAuthenticated)
        // The router's key presented as the trust service.
        layout.busSecurity.secretKey = SecretReference("file:\(keys.keyFile(of: "router").path)")
        #expect(throws: BusSecurityError.self) {
            try BusSecurity.load(layout: layout, identity: BusIdentity(role: .trust, instance: "trust"))
        }
        // An instance with no key at all.
        layout.busSecurity.secretKey = nil
        #expect(throws: BusSecurityError.self) {
            try BusSecurity.load(layout: layout, identity: BusIdentity(role: .ingress, instance: "ingress-7"))
        }
        layout.busSecurity.insecure = true
        #expect(try !BusSecurity.load(layout: layout, identity: BusIdentity(role: .ingress, instance: "ingress-7")).isAuthenticated)
    }

    @Test func aRosterOthersCanWriteOrAKeyOthersCanReadIsRefused() throws {
        let directory = try TemporaryDirectory()
        let keys = BusKeyDirectory(directory.url.appendingPathComponent("keys"))
        try keys.initialize()
        let layout = SuiteLayout(dataDirectory: directory.url.path)
        let router = BusIdentity(role: .router, instance: "router")
        #expect(try BusSecurity.load(layout: layout, identity: router).isAuthenticated)
        chmod(keys.rosterFile.path, 0o666)
        #expect(throws: BusSecurityError.self) { try BusSecurity.load(layout: layout, identity: router) }
        chmod(keys.rosterFile.path, 0o644)
        chmod(keys.keyFile(of: "router").path, 0o640)
        #expect(throws: BusSecurityError.self) { try BusSecurity.load(layout: layout, identity: router) }
    }
}
