import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging

/// Routing and session resolution. Takes custody of inbound messages from the ingress, hands
/// an execution request to the orchestrator, and persists and forwards the replies.
final class Router: Sendable {
    let database: RouterDatabase
    let routes: RouteResolver
    let metadata: LoomMetadata
    let node: BusNode
    let relay: OutboxRelay
    let logger: Logger

    init(database: RouterDatabase, metadata: LoomMetadata, node: BusNode, logger: Logger) {
        self.database = database
        self.metadata = metadata
        self.routes = RouteResolver(metadata: metadata)
        self.node = node
        self.relay = OutboxRelay(node: node, database: database.store)
        self.logger = logger
    }

    var handlers: BusHandlers {
        BusHandlers(
            deliver: { envelope, from in await self.accept(envelope, from: from) },
            request: { envelope, _ in await self.answer(envelope) },
            acknowledged: { ack, from in await self.acknowledged(ack, from: from) })
    }

    func accept(_ envelope: Envelope, from: PeerAddress) async -> HopAck {
        switch envelope.body {
        case let inbound as InboundMessage: return await acceptInbound(envelope, inbound, from: from)
        case let outbound as OutboundMessage: return await acceptOutbound(envelope, outbound, from: from)
        default: return .rejected(envelope.id, code: "unexpected_kind", detail: "the router does not take \(envelope.kind.rawValue)")
        }
    }

    // MARK: Inbound

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
        let payload = try? node.codec.encode(envelope)
        do {
            let info = try await database.store.write { db -> [String: String] in
                guard try db.recordInbox(messageId: messageId, source: from.description, kind: envelope.kind.rawValue, payload: payload) else {
                    // A repeat of a message we hold: tell the caller what the first one produced.
                    let sessionId = try String.fetchOne(db, sql: "SELECT sessionId FROM message WHERE id = ?", arguments: [messageId])
                    let reply = try Row.fetchOne(
                        db, sql: "SELECT body, executionStatus FROM message WHERE executionId = ? AND direction = 'outbound'",
                        arguments: [executionId])
                    return [
                        "duplicate": "true", "sessionId": sessionId ?? "", "executionId": executionId,
                        "reply": reply?["body"] ?? "", "replyStatus": reply?["executionStatus"] ?? "",
                    ]
                }
                let now = Date()
                let resolution = try SessionResolver(endpoint: resolved.endpoint).resolve(
                    db, channel: inbound.channel, endpointName: inbound.endpoint,
                    continuityKey: inbound.sessionKey.map { "key:\($0)" } ?? "message:\(messageId)",
                    participant: inbound.sender, agent: resolved.agentName,
                    newSessionId: MessageID.derived("ses", from: messageId), now: now)
                let session = resolution.session
                try InteractionMessage(
                    id: messageId, sessionId: session.id, executionId: executionId, direction: .inbound, channel: inbound.channel,
                    externalMessageId: inbound.externalMessageId, sender: inbound.sender, recipient: resolved.agentName,
                    body: inbound.text, deliveryStatus: .received, createdAt: now, updatedAt: now
                ).insert(db)

                let turnId = MessageID.derived("turn", from: messageId)
                let request = ExecutionRequest(
                    executionId: executionId, agent: resolved.agentName, sessionId: session.id, turnId: turnId,
                    channel: inbound.channel, endpoint: inbound.endpoint, inboundMessageId: messageId, sender: inbound.sender,
                    text: inbound.text, replyTo: inbound.replyTo)
                var handoff = envelope.derived(id: MessageID.derived("xrq", from: messageId), body: request)
                handoff.correlation = Correlation(sessionId: session.id, executionId: executionId, turnId: turnId)
                try db.enqueueOutbox(
                    messageId: handoff.id, destination: PeerAddress.peer("orchestrator").description,
                    kind: handoff.kind.rawValue, payload: try self.node.codec.encode(handoff))
                try db.markInboxProcessed(messageId: messageId)
                return ["sessionId": session.id, "executionId": executionId, "rolledOver": resolution.rolledOver?.id ?? ""]
            }
            if info["duplicate"] == nil { relay.wake() }
            let outcome: HopAck.Outcome = info["duplicate"] == nil ? .stored : .duplicate
            return HopAck(messageId: messageId, outcome: outcome, info: info.filter { !$0.value.isEmpty && $0.key != "duplicate" })
        } catch {
            logger.error("could not commit an inbound message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            return HopAck(messageId: messageId, outcome: .retryLater, code: "store_unavailable", detail: "\(error)")
        }
    }

    // MARK: Outbound

    private func acceptOutbound(_ envelope: Envelope, _ outbound: OutboundMessage, from: PeerAddress) async -> HopAck {
        let messageId = envelope.id
        let policy = metadata.endpoints[outbound.endpoint]?.delivery ?? .reply
        let payload = try? node.codec.encode(envelope)
        do {
            let queued = try await database.store.write { db -> Bool in
                guard try db.recordInbox(messageId: messageId, source: from.description, kind: envelope.kind.rawValue, payload: nil) else {
                    return false
                }
                let status: InteractionMessage.DeliveryStatus
                switch policy {
                case .reply: status = .queued
                case .draft, .review: status = .draft
                case .suppress: status = .suppressed
                }
                let now = Date()
                try InteractionMessage(
                    id: messageId, sessionId: outbound.sessionId, executionId: outbound.executionId, direction: .outbound,
                    channel: outbound.channel, externalMessageId: nil, sender: "agent", recipient: outbound.recipient,
                    body: outbound.text, deliveryStatus: status, createdAt: now, updatedAt: now
                ).insert(db)
                try db.execute(
                    sql: "UPDATE message SET executionStatus = ? WHERE id = ?", arguments: [outbound.status.rawValue, messageId])
                if status == .queued, let replyTo = outbound.replyTo, let payload {
                    try db.enqueueOutbox(
                        messageId: messageId, destination: PeerAddress.client(replyTo).description, kind: envelope.kind.rawValue,
                        payload: payload)
                }
                try db.markInboxProcessed(messageId: messageId)
                return status == .queued
            }
            if queued { relay.wake() }
            return HopAck(messageId: messageId, outcome: .stored)
        } catch {
            logger.error("could not commit an outbound message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            return HopAck(messageId: messageId, outcome: .retryLater, code: "store_unavailable", detail: "\(error)")
        }
    }

    /// The ingress took the reply: record it as sent (or failed if the ingress refused it).
    private func acknowledged(_ ack: HopAck, from: PeerAddress) async {
        await relay.handle(ack, from: from)
        guard case .client = from, ack.outcome != .retryLater else { return }
        let status: InteractionMessage.DeliveryStatus = ack.outcome == .rejected ? .failed : .sent
        do {
            try await database.store.write { db in
                try db.execute(
                    sql: "UPDATE message SET deliveryStatus = ?, updatedAt = ? WHERE id = ? AND direction = 'outbound'",
                    arguments: [status.rawValue, Date().timeIntervalSince1970, ack.messageId])
            }
        } catch {
            logger.error("could not record a delivery status", metadata: ["message": "\(ack.messageId)", "error": "\(error)"])
        }
    }

    // MARK: Control

    func answer(_ envelope: Envelope) async -> any MessagePayload {
        do {
            switch envelope.body {
            case is HealthQuery:
                return HealthResult(service: "router", instance: node.instance, counters: try await counters())
            case let query as SessionListQuery:
                let limit = min(max(query.limit, 1), 1000)
                return SessionListResult(sessions: try await database.store.read { db in
                    try InteractionSession.fetchAll(db, sql: "SELECT * FROM session ORDER BY lastActivityAt DESC LIMIT ?", arguments: [limit])
                })
            case let query as SessionShowQuery:
                return try await database.store.read { db in
                    SessionShowResult(
                        session: try InteractionSession.fetchOne(db, key: query.sessionId),
                        messages: try InteractionMessage.fetchAll(
                            db, sql: "SELECT * FROM message WHERE sessionId = ? ORDER BY createdAt, rowid", arguments: [query.sessionId]))
                }
            default:
                return Failure(code: "unsupported_request", message: "the router does not answer \(envelope.kind.rawValue)")
            }
        } catch {
            return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
        }
    }

    private func counters() async throws -> [String: Int] {
        var counters = node.counters.snapshot()
        let store = try await database.store.read { db in
            try OutboxQueries.healthCounters(db).merging([
                "sessions": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session") ?? 0,
                "messages": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0,
            ]) { $1 }
        }
        counters.merge(store) { $1 }
        return counters
    }
}
