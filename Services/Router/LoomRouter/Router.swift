import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomServiceRuntime
import LoomStore
import Logging

/// Routing and session resolution. Takes custody of inbound messages from the ingress, hands
/// an execution request to the orchestrator, and persists and forwards the replies
/// (`Router+Outbound.swift`) and answers control queries (`Router+Control.swift`).
final class Router: Sendable {
    let database: RouterDatabase
    let routes: RouteResolver
    let metadata: LoomMetadata
    let node: BusNode
    let relay: OutboxRelay
    let ingresses: IngressDirectory
    let logger: Logger

    init(database: RouterDatabase, metadata: LoomMetadata, node: BusNode, logger: Logger) {
        self.database = database
        self.metadata = metadata
        self.routes = RouteResolver(metadata: metadata)
        self.node = node
        let ingresses = IngressDirectory()
        self.ingresses = ingresses
        self.relay = OutboxRelay(
            node: node, database: database.store, chooseInstance: { _, messageId in ingresses.choose(for: messageId) },
            instanceUnreachable: { ingresses.forget($0.name) })
        self.logger = logger
    }

    var handlers: BusHandlers {
        BusHandlers(
            deliver: { envelope, from in
                if case .client(let instance) = from { self.ingresses.saw(instance) }
                return await self.accept(envelope, from: from)
            },
            request: { envelope, from in await self.answer(envelope, from: from) },
            acknowledged: { ack, from in await self.acknowledged(ack, from: from) },
            reconnected: { peer in await self.relay.peerReconnected(peer) })
    }

    func accept(_ envelope: Envelope, from: PeerAddress) async -> HopAck {
        switch envelope.body {
        case let inbound as InboundMessage: return await acceptInbound(envelope, inbound, from: from)
        case let outbound as OutboundMessage: return await acceptOutbound(envelope, outbound, from: from)
        default: return .rejected(envelope.id, code: "unexpected_kind", detail: "the router does not take \(envelope.kind.rawValue)")
        }
    }

    // MARK: Inbound

    /// Dedup, route, session, message record and the orchestrator's work, in one transaction.
    /// The ingress derives the message id from the channel's own message id (or a content
    /// fingerprint), so the inbox row is the dedup record, kept across restarts.
    private func acceptInbound(_ envelope: Envelope, _ inbound: InboundMessage, from: PeerAddress) async -> HopAck {
        let text = inbound.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .rejected(envelope.id, code: "empty_text", detail: "the message has no text") }
        let resolved: RouteResolver.Resolved
        do {
            resolved = try routes.resolve(inbound)
        } catch {
            return .rejected(envelope.id, code: error.code, detail: error.detail)
        }
        let messageId = envelope.id
        let executionId = MessageID.derived("exe", from: messageId)
        do {
            let payload = try node.codec.encode(envelope)
            let info = try await database.store.write { db -> [String: String] in
                guard try db.recordInbox(messageId: messageId, source: from.description, kind: envelope.kind.rawValue, payload: payload) else {
                    return try self.firstOutcome(db, messageId: messageId, executionId: executionId)
                }
                let now = Date()
                let resolution = try SessionResolver(endpoint: resolved.endpoint).resolve(
                    db, channel: inbound.channel, endpointName: inbound.endpoint,
                    continuityKey: inbound.sessionKey.map { "key:\($0)" } ?? "message:\(messageId)",
                    participant: inbound.sender, agent: resolved.agentName,
                    newSessionId: MessageID.derived("ses", from: messageId), now: now)
                let session = resolution.session
                let history = try self.history(of: inbound, in: session, endpoint: resolved.endpoint, db)
                try self.database.insert(
                    InteractionMessage(
                        id: messageId, sessionId: session.id, executionId: executionId, direction: .inbound,
                        channel: inbound.channel, externalMessageId: inbound.externalMessageId, sender: inbound.sender,
                        recipient: resolved.agentName, body: inbound.text, attachments: inbound.attachments ?? [],
                        deliveryStatus: .received,
                        deliveryPolicy: resolved.delivery, createdAt: now, updatedAt: now), db)
                if let context = inbound.replyContext {
                    try db.execute(
                        sql: "UPDATE message SET replyContext = ? WHERE id = ?",
                        arguments: [String(decoding: try JSONEncoder().encode(context), as: UTF8.self), messageId])
                }

                let turnId = MessageID.derived("turn", from: messageId)
                let request = ExecutionRequest(
                    executionId: executionId, agent: resolved.agentName, sessionId: session.id, turnId: turnId,
                    channel: inbound.channel, endpoint: inbound.endpoint, inboundMessageId: messageId, sender: inbound.sender,
                    text: inbound.text, replyTo: inbound.replyTo, streamReply: inbound.streamReply, principal: inbound.principal,
                    conversation: history.conversation)
                var handoff = envelope.derived(id: MessageID.derived("xrq", from: messageId), body: request)
                handoff.correlation = Correlation(sessionId: session.id, executionId: executionId, turnId: turnId)
                try db.enqueueOutbox(
                    messageId: handoff.id, destination: PeerAddress.peer("orchestrator").description,
                    kind: handoff.kind.rawValue, payload: try self.node.codec.encode(handoff))
                try db.markInboxProcessed(messageId: messageId)
                return [
                    "sessionId": session.id, "executionId": executionId, "route": resolved.route.name,
                    "rolledOver": resolution.rolledOver.map { "\($0.id):\($0.rolloverReason?.rawValue ?? "")" } ?? "",
                    "history": history.used ?? "",
                ]
            }
            if info["duplicate"] == nil {
                CrashPoints.shared.reach("router.committed-inbound")
                relay.wake()
            }
            let outcome: HopAck.Outcome = info["duplicate"] == nil ? .stored : .duplicate
            return HopAck(messageId: messageId, outcome: outcome, info: info.filter { !$0.value.isEmpty && $0.key != "duplicate" })
        } catch let mismatch as CallerHistory.Mismatch {
            // Nothing was kept: a corrected resend of the same request is decided afresh.
            return .rejected(envelope.id, code: "history_mismatch", detail: mismatch.detail)
        } catch {
            logger.error("could not commit an inbound message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            return HopAck(messageId: messageId, outcome: .retryLater, code: "store_unavailable", detail: "\(error)")
        }
    }

    /// Whose history the turn uses; throws ``CallerHistory/Mismatch`` to refuse it.
    private func history(
        of inbound: InboundMessage, in session: InteractionSession, endpoint: ChannelEndpoint, _ db: Database
    ) throws -> CallerHistory.Decision {
        let sent = inbound.conversation?.messages?.count ?? 0
        let held = inbound.sessionKey == nil ? [] : try database.transcriptTail(db, sessionId: session.id, count: sent)
        return try CallerHistory(policy: endpoint.requestHistory ?? .refuse)
            .decide(inbound.conversation, hasSessionKey: inbound.sessionKey != nil, held: held)
    }

    /// A repeat of a message we hold: what the first one produced, so a retrying caller gets
    /// the same answer and no second execution starts.
    private func firstOutcome(_ db: Database, messageId: String, executionId: String) throws -> [String: String] {
        let sessionId = try String.fetchOne(db, sql: "SELECT sessionId FROM message WHERE id = ?", arguments: [messageId])
        let reply = try Row.fetchOne(
            db,
            sql: """
                SELECT id, body, executionStatus, deliveryStatus FROM message
                WHERE executionId = ? AND direction = 'outbound'
                """,
            arguments: [executionId])
        let delivery: String? = reply?["deliveryStatus"]
        let visible = delivery == InteractionMessage.DeliveryStatus.sent.rawValue || delivery == InteractionMessage.DeliveryStatus.queued.rawValue
        return [
            "duplicate": "true", "sessionId": sessionId ?? "", "executionId": executionId,
            "reply": visible ? try reply.map(database.body(of:)) ?? "" : "",
            "replyStatus": reply?["executionStatus"] ?? "",
            "deliveryStatus": delivery ?? "",
        ]
    }
}
