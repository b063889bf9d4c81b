import Foundation
import Hummingbird
import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the ingress process: the HTTP server for every channel, a bus link to the router
/// (inbound custody, replies back) and to the orchestrator (execution events), the outbound
/// channel delivery, and the presence announcements that make this instance eligible for
/// asynchronous replies.
public enum IngressService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let layout = environment.layout
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: nil,
            peers: [
                "router": layout.endpoint(of: "router"), "orchestrator": layout.endpoint(of: "orchestrator"), "trust": layout.endpoint(of: "trust"),
            ],
            logger: environment.logger)
        let metadata = environment.metadata
        let logger = environment.logger
        let waiters = ReplyWaiters()
        let link = RouterLink(node: node, waiters: waiters, logger: logger)
        let auth = HTTPAuthorizer.configured(metadata, environment: ProcessInfo.processInfo.environment, logger: logger)
        let messages = MessagesEndpoint(
            link: link, metadata: metadata, auth: auth, maxBodyBytes: layout.maxBodyBytes, logger: logger)
        let completions = ChatCompletionsEndpoint(
            link: link, metadata: metadata, auth: auth, maxBodyBytes: layout.maxBodyBytes, logger: logger)
        let webhooks = WebhooksEndpoint(link: link, metadata: metadata, maxBodyBytes: layout.maxBodyBytes, logger: logger)
        let events = ExecutionEventsEndpoint(node: node, auth: auth, logger: logger)
        let admin = AdminEndpoints(node: node, auth: auth)
        let direct = DirectRunEndpoint(node: node, metadata: metadata, auth: auth, maxBodyBytes: layout.maxBodyBytes)
        let delivery = OutboundDelivery(metadata: metadata, logger: logger)

        let router = Router()
        var routes = KnownRoutes(router)
        let slowClients = SlowClientCounter()
        routes.get("/health") { _, _ in
            let health = IngressHealth(
                instance: node.instance, processId: "\(ProcessIdentity.current)", slowClientsDropped: slowClients.value)
            return jsonResponse(health)
        }
        routes.post("/v1/messages") { request, _ in await messages.handle(request) }
        routes.post("/v1/agents/:agent/executions") { request, context in
            await messages.handle(request, agentInPath: context.parameters.get("agent"))
        }
        routes.post("/v1/agents/:agent/run") { request, context in
            await direct.handle(request, agentName: context.parameters.get("agent") ?? "")
        }
        routes.get("/v1/executions/:id/events") { request, context in
            await events.handle(request, executionId: context.parameters.get("id") ?? "")
        }
        routes.post("/v1/chat/completions") { request, _ in await completions.handle(request) }
        routes.get("/v1/models") { _, _ in
            jsonResponse(ModelList(data: metadata.agents.keys.sorted().map { ModelList.Model(id: $0) }))
        }
        routes.post("/hooks/:endpoint") { request, context in await webhooks.handle(request, endpointName: context.parameters.get("endpoint") ?? "") }
        routes.get("/hooks/:endpoint") { request, context in await webhooks.handle(request, endpointName: context.parameters.get("endpoint") ?? "") }
        routes.post("/v1/executions/:id/cancel") { request, context in
            await admin.cancelExecution(request, executionId: context.parameters.get("id") ?? "")
        }
        routes.post("/v1/sessions/:id/close") { request, context in
            await admin.closeSession(request, sessionId: context.parameters.get("id") ?? "")
        }
        routes.get("/v1/drafts") { request, _ in await admin.listDrafts(request) }
        let approvals = ApprovalEndpoints(node: node, auth: auth, maxBodyBytes: 64 * 1024)
        routes.get("/v1/approvals") { request, _ in await approvals.list(request) }
        routes.post("/v1/approvals/:id/:action") { request, context in
            await approvals.decide(request, id: context.parameters.get("id") ?? "", action: context.parameters.get("action") ?? "")
        }
        routes.post("/v1/drafts/:id/:action") { request, context in
            await admin.decide(request, messageId: context.parameters.get("id") ?? "", action: context.parameters.get("action") ?? "")
        }
        router.add(middleware: UnknownRouteProblems(routes: routes.list))

        let handlers = BusHandlers(deliver: { envelope, _ in
            guard let outbound = envelope.payload(OutboundMessage.self) else {
                return .rejected(envelope.id, code: "unexpected_kind", detail: "the ingress takes outbound messages only")
            }
            guard outbound.channel.answersInline else { return await delivery.deliver(envelope, outbound) }
            // Custody ends here: the caller gets the reply if still waiting; otherwise it stays
            // retrievable from the router's records.
            if !waiters.fulfill(outbound) {
                logger.info("reply arrived after its caller left", metadata: ["execution": "\(outbound.executionId)"])
            }
            return HopAck(messageId: envelope.id, outcome: .stored)
        })
        let timeouts = SlowClientGuard.Timeouts(layout.http)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [SlowClientGuard(timeouts: timeouts, counter: slowClients)],
                idleTimeout: SlowClientGuard.Timeouts.amount(layout.http.idleSeconds))),
            configuration: .init(address: .hostname(layout.httpHost, port: layout.httpPort), serverName: "loom-ingress"),
            onServerRunning: { channel in
                logger.info("HTTP listening on \(channel.localAddress.map { "\($0)" } ?? "?")")
            },
            logger: logger)
        return [NodeService(node: node, handlers: handlers), PresenceService(node: node), app]
    }

    struct ModelList: Encodable {
        var object = "list"
        var data: [Model]

        struct Model: Encodable {
            var id: String
            var object = "model"
            var owned_by = "loom"
        }
    }
}

/// Tells the router every few seconds that this instance is alive, so asynchronous channel
/// replies can be given to it (and stop being given to it once it is gone).
struct PresenceService: Service {
    let node: BusNode
    var interval: Duration = .seconds(4)

    /// Ends with graceful shutdown: a loop that waited for cancellation alone held every stop of
    /// the ingress for the whole shutdown grace period.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await node.call(
                        PresenceAnnouncement(instance: node.instance), to: .peer("router"),
                        expecting: PresenceAcknowledged.self, timeout: .seconds(2), attempts: 1)
                } catch {
                    // The router is down or restarting; the next announcement will reach it.
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
