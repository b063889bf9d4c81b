import Foundation
import LoomBus
import LoomContract
import Testing

extension IntegrationSuites {
    /// The bus as an attacker on the same host meets it: no key, a key off the roster, a roster
    /// key of the wrong role, and a peer claiming the ingress's routing id. Nothing they send
    /// is served, every refusal is counted and audited, and real turns go on meanwhile.
    @Suite(.serialized) struct BusBoundaryTests {
        enum Key: CustomStringConvertible {
            case none, unknown, rogue, operatorKey

            var description: String {
                switch self {
                case .none: "no key"
                case .unknown: "a key off the roster"
                case .rogue: "a tools key"
                case .operatorKey: "an operator key"
                }
            }
        }

        /// What each attacker tries, at which service.
        /// `operatorMay`: a control query an operator is allowed to make.
        static let attempts: [(service: String, payload: any MessagePayload, delivered: Bool, operatorMay: Bool)] = [
            ("trust", UnmaskRequest(scope: "ses_x", texts: ["[EMAIL_1]"]), false, false),
            ("trust", AuditAppend(category: "policy", executionId: nil, subject: "forged", detail: [:]), false, false),
            ("trust", AuditListQuery(), false, true),
            ("tools", ToolCallRequest(
                capability: "open_case", arguments: .object(["subject": .string("forged")]), idempotencyKey: "forged-1",
                executionId: "exe_forged"), false, false),
            ("gateway", CompletionRequest(
                agent: "support", provider: "scripted", model: nil, temperature: nil, maxTokens: nil,
                messages: [ChatMessage(role: .user, content: "spend the operator's key")]), false, false),
            ("gateway", ProviderLogQuery(), false, true),
            ("router", InboundMessage(
                channel: .slack, endpoint: "slack", agent: nil, sender: "U0FORGED", text: "unsigned", sessionKey: nil,
                externalMessageId: "forged-1", replyTo: nil), true, false),
            ("router", SessionListQuery(), false, true),
            ("orchestrator", ExecutionRequest(
                executionId: "exe_forged", agent: "support", sessionId: "ses_forged", turnId: "t1", channel: .api, endpoint: "api",
                inboundMessageId: "in_forged", sender: "x", text: "forged", replyTo: nil), true, false),
            ("orchestrator", TraceQuery(executionId: "exe_forged"), false, true),
        ]

        func attacker(_ key: Key, suite: SuiteHarness, service: String, routingId: String = "attacker") async throws -> (BusEngine, BusNode) {
            let security: BusSecurity
            switch key {
            case .none: security = .insecure(BusIdentity(role: .operator, instance: "attacker"))
            case .unknown:
                let roster = RosterStore(try BusRoster(parsing: String(contentsOf: suite.keys.rosterFile, encoding: .utf8)))
                security = BusSecurity(identity: BusIdentity(role: .operator, instance: "attacker"), mode: .curve(try .generate(), roster))
            case .rogue: security = try suite.busSecurity(as: SuiteHarness.rogueTools)
            case .operatorKey: security = try suite.busSecurity()
            }
            let engine = try BusEngine(name: "attacker", security: security)
            let node = try await BusNode.start(
                engine: engine,
                instance: key == .rogue ? SuiteHarness.rogueTools.instance : key == .operatorKey ? "operator.\(routingId)" : routingId,
                listen: nil,
                peers: [service: suite.bus[service] ?? ""])
            Task { await node.serve(BusHandlers()) }
            return (engine, node)
        }

        /// What the attacker got back: `silence` when no frame got through at all.
        func attempt(_ payload: any MessagePayload, delivered: Bool, by node: BusNode, at service: String) async -> String {
            let envelope = Envelope(id: MessageID.random("forged"), correlation: Correlation(sessionId: "ses_x"), body: payload)
            do {
                if delivered {
                    let ack = try await node.deliverAwaitingAck(envelope, to: .peer(service), timeout: .milliseconds(700), attempts: 1)
                    return "\(ack.outcome.rawValue):\(ack.code ?? "")"
                }
                let reply = try await node.request(envelope, to: .peer(service), timeout: .milliseconds(700), attempts: 1)
                return reply.payload(Failure.self).map { "failure:\($0.code)" } ?? "served:\(reply.kind.rawValue)"
            } catch {
                return "silence"
            }
        }

        @Test func strangersAndWrongRolesAreRefusedCountedAndAuditedWhileTurnsGoOn() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            #expect(try await suite.send(["agent": "support", "text": "hello before", "sessionKey": "bus-1"]).status == 200)
            for key in [Key.none, .unknown, .rogue, .operatorKey] {
                for (service, payload, delivered, operatorMay) in Self.attempts {
                    let (engine, node) = try await attacker(key, suite: suite, service: service)
                    let outcome = await attempt(payload, delivered: delivered, by: node, at: service)
                    engine.shutdown()
                    let forbidden = delivered ? "rejected:forbidden" : "failure:forbidden"
                    switch key {
                    case .none, .unknown:
                        #expect(outcome == "silence", "\(key) → \(payload) at \(service)")
                    case .rogue:
                        // Only trust admits a tools key at all (for its refusal reports).
                        #expect(outcome == (service == "trust" ? forbidden : "silence"), "\(key) → \(payload) at \(service)")
                    case .operatorKey:
                        if operatorMay {
                            #expect(outcome != "silence" && outcome != forbidden, "\(key) → \(payload) at \(service)")
                        } else {
                            #expect(outcome == forbidden, "\(key) → \(payload) at \(service)")
                        }
                    }
                }
            }
            // Nothing was processed: no forged session, execution, provider call or case.
            let sessions = try await suite.control(SessionListQuery(), service: "router", expecting: SessionListResult.self)
            #expect(sessions.sessions.count == 1)
            let trace = try? await suite.control(TraceQuery(executionId: "exe_forged"), service: "orchestrator", expecting: TraceResult.self)
            #expect(trace?.execution == nil)
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self)
            #expect(!log.requests.contains { $0.messages.contains { $0.content.contains("operator's key") } })

            // Counted per peer and kind, at every service.
            for (service, kind) in [("trust", "trust.audit.append"), ("tools", "tools.call"), ("gateway", "gateway.complete"),
                                    ("router", "channel.inbound"), ("orchestrator", "execution.request")] {
                let health = try await suite.control(HealthQuery(), service: service, expecting: HealthResult.self)
                #expect(health.counters["refused.forbidden.operator/operator.\(kind)"] == 1, "\(service)")
                let rogue = service == "trust"
                    ? health.counters["refused.forbidden.tools/rogue-tools.trust.unmask"]
                    : health.counters["refused.role_not_admitted.tools/rogue-tools.connection"]
                #expect((rogue ?? 0) >= 1, "\(service)")
                #expect((health.counters["refused.unknown_key"] ?? 0) >= 1, "\(service)")
            }
            // A client with no key at all fails the handshake before ZAP is asked; the monitor
            // counts it while the client keeps trying.
            for service in ["trust", "tools", "gateway", "router", "orchestrator"] {
                let (engine, node) = try await attacker(.none, suite: suite, service: service)
                let trying = Task { await attempt(HealthQuery(), delivered: false, by: node, at: service) }
                var counted = 0
                for _ in 0..<50 where counted == 0 {
                    let health = try await suite.control(HealthQuery(), service: service, expecting: HealthResult.self)
                    counted = health.counters["refused.handshake"] ?? 0
                    if counted == 0 { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(counted >= 1, "\(service)")
                trying.cancel()
                engine.shutdown()
            }
            // Audited, under the identity of the service that refused.
            let audit = try await suite.control(AuditListQuery(limit: 500), service: "trust", expecting: AuditListResult.self)
            for reporter in ["trust", "tools", "gateway", "router", "orchestrator"] {
                #expect(audit.entries.contains { $0.category == "bus" && $0.detail["reporter"] == reporter && $0.detail["reason"] == "forbidden" },
                        "\(reporter)")
            }
            #expect(audit.entries.contains { $0.category == "bus" && $0.detail["reason"] == "unknown_key" })
            var handshakesAudited = false
            for _ in 0..<50 where !handshakesAudited {
                let entries = try await suite.control(AuditListQuery(limit: 500), service: "trust", expecting: AuditListResult.self).entries
                handshakesAudited = entries.contains { $0.category == "bus" && $0.detail["reason"] == "handshake" }
                if !handshakesAudited { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(handshakesAudited)
            #expect(!audit.entries.contains { $0.subject == "forged" })
            let verified = try await suite.control(AuditVerifyQuery(), service: "trust", expecting: AuditVerification.self)
            #expect(verified.valid)

            #expect(try await suite.send(["agent": "support", "text": "hello after", "sessionKey": "bus-1"]).status == 200)
        }

        @Test func aSecondPeerUnderTheIngressRoutingIdIsRefusedAndTurnsKeepWorking() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            #expect(try await suite.send(["agent": "support", "text": "hello", "sessionKey": "handover-1"]).status == 200)
            // An orchestrator key: a role the router's listener admits, under the ingress's id.
            let security = try suite.busSecurity(as: SuiteHarness.testOrchestrator)
            let engine = try BusEngine(name: "impostor", security: security)
            defer { engine.shutdown() }
            let impostor = try await BusNode.start(engine: engine, instance: "ingress", listen: nil, peers: ["router": suite.bus["router"] ?? ""])
            Task { await impostor.serve(BusHandlers()) }
            let outcome = await attempt(
                PresenceAnnouncement(instance: "ingress"), delivered: false, by: impostor, at: "router")
            #expect(outcome == "silence")
            for index in 0..<3 {
                let response = try await suite.send(["agent": "support", "text": "still me \(index)", "sessionKey": "handover-1"])
                #expect(response.status == 200)
            }
            // The live id stays the real ingress's; a member claiming an id that is free but not
            // its own gets through the transport and is refused and counted by the router.
            let security9 = try suite.busSecurity(as: SuiteHarness.testOrchestrator)
            let engine9 = try BusEngine(name: "squatter", security: security9)
            defer { engine9.shutdown() }
            let squatter9 = try await BusNode.start(engine: engine9, instance: "ingress-9", listen: nil, peers: ["router": suite.bus["router"] ?? ""])
            Task { await squatter9.serve(BusHandlers()) }
            #expect(await attempt(PresenceAnnouncement(instance: "ingress-9"), delivered: false, by: squatter9, at: "router") == "silence")
            let health = try await suite.control(HealthQuery(), service: "router", expecting: HealthResult.self)
            #expect((health.counters["refused.routing_id_mismatch"] ?? 0) >= 1)
        }
    }
}
