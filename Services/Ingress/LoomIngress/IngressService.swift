import Foundation
import Hummingbird
import LoomBus
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the ingress process: an HTTP server for the channels and a bus link to the router,
/// over which replies to waiting callers come back to this instance.
public enum IngressService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: nil, peers: ["router": environment.layout.endpoint(of: "router")],
            logger: environment.logger)
        let waiters = ReplyWaiters()
        let messages = MessagesEndpoint(
            node: node, waiters: waiters, metadata: environment.metadata, maxBodyBytes: environment.layout.maxBodyBytes,
            logger: environment.logger)

        let router = Router()
        router.get("/health") { _, _ in
            jsonResponse(["status": "ok", "instance": node.instance, "processId": "\(ProcessIdentity.current)"])
        }
        router.post("/v1/messages") { request, _ in await messages.handle(request) }

        let handlers = BusHandlers(deliver: { envelope, _ in
            guard let outbound = envelope.payload(OutboundMessage.self) else {
                return .rejected(envelope.id, code: "unexpected_kind", detail: "the ingress takes outbound messages only")
            }
            // Custody ends here: the caller gets the reply if still waiting; otherwise it stays
            // retrievable from the router's records.
            if !waiters.fulfill(outbound) {
                environment.logger.info("reply arrived after its caller left", metadata: ["execution": "\(outbound.executionId)"])
            }
            return HopAck(messageId: envelope.id, outcome: .stored)
        })
        let layout = environment.layout
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(layout.httpHost, port: layout.httpPort), serverName: "loom-ingress"),
            onServerRunning: { channel in
                environment.logger.info("HTTP listening on \(channel.localAddress.map { "\($0)" } ?? "?")")
            },
            logger: environment.logger)
        return [NodeService(node: node, handlers: handlers), app]
    }
}
