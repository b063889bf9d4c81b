import Foundation
import GRDB
import LoomBus
import LoomContract
import LoomStore

/// Replies on their way out: the delivery policy decides whether they leave now, wait as a
/// draft or for review, or are only recorded; the ingress's acknowledgement records the
/// delivery outcome.
extension Router {
    func acceptOutbound(_ envelope: Envelope, _ outbound: OutboundMessage, from: PeerAddress) async -> HopAck {
        let messageId = envelope.id
        do {
            let queued = try await database.store.write { db -> Bool in
                guard try db.recordInbox(messageId: messageId, source: from.description, kind: envelope.kind.rawValue, payload: nil) else {
                    return false
                }
                let trigger = try Row.fetchOne(
                    db, sql: "SELECT deliveryPolicy, replyContext FROM message WHERE id = ?", arguments: [outbound.inReplyTo])
                let policy = (trigger?["deliveryPolicy"] as String?).flatMap(DeliveryPolicy.init(rawValue:))
                    ?? self.metadata.endpoints[outbound.endpoint]?.delivery ?? .reply
                // A message answered together with a later one has no reply of its own to send.
                let absorbed = outbound.status == .cancelled && ["SUPERSEDED", "COALESCED"].contains(outbound.error?.code ?? "")
                let status: InteractionMessage.DeliveryStatus =
                    switch policy {
                    case _ where absorbed: .suppressed
                    case .reply: .queued
                    case .draft, .review: .draft
                    case .suppress: .suppressed
                    }
                let now = Date()
                try self.database.insert(
                    InteractionMessage(
                        id: messageId, sessionId: outbound.sessionId, executionId: outbound.executionId,
                        direction: .outbound, channel: outbound.channel, externalMessageId: nil, sender: "agent",
                        recipient: outbound.recipient, body: outbound.text, deliveryStatus: status,
                        deliveryPolicy: policy,
                        deliveryDetail: absorbed
                            ? outbound.error?.message : policy == .review ? "awaiting review" : nil,
                        createdAt: now, updatedAt: now), db)
                try db.execute(
                    sql: "UPDATE message SET executionStatus = ? WHERE id = ?", arguments: [outbound.status.rawValue, messageId])

                var forward = outbound
                forward.replyContext = Self.decodeContext(trigger?["replyContext"])
                if status == .queued {
                    try self.enqueueDelivery(db, envelope.derived(id: messageId, body: forward))
                } else if outbound.channel.answersInline, let replyTo = outbound.replyTo {
                    // The waiting caller learns that the reply is held, without its text.
                    forward.text = ""
                    forward.deliveryStatus = status
                    let notice = envelope.derived(id: MessageID.derived("held", from: messageId), body: forward)
                    try db.enqueueOutbox(
                        messageId: notice.id, destination: PeerAddress.client(replyTo).description, kind: notice.kind.rawValue,
                        payload: try self.node.codec.encode(notice), expiresAt: notice.deadline)
                }
                try db.markInboxProcessed(messageId: messageId)
                return status == .queued || outbound.channel.answersInline
            }
            if queued { relay.wake() }
            return HopAck(messageId: messageId, outcome: .stored)
        } catch {
            logger.error("could not commit an outbound message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            return HopAck(messageId: messageId, outcome: .retryLater, code: "store_unavailable", detail: "\(error)")
        }
    }

    /// Queues a reply for the ingress: back to the instance holding the caller for inline
    /// channels, to any live instance for channels with their own transport.
    func enqueueDelivery(_ db: Database, _ envelope: Envelope) throws {
        guard let outbound = envelope.payload(OutboundMessage.self) else { return }
        // A reply to one waiting caller is useless after its deadline; any other reply waits
        // for an ingress however long that takes.
        let (destination, expiresAt): (String, Date?) =
            if outbound.channel.answersInline, let replyTo = outbound.replyTo {
                (PeerAddress.client(replyTo).description, envelope.deadline)
            } else {
                ("any:ingress", nil)
            }
        try db.enqueueOutbox(
            messageId: envelope.id, destination: destination, kind: envelope.kind.rawValue,
            payload: try node.codec.encode(envelope), expiresAt: expiresAt)
    }

    /// The ingress took a reply: record it as sent, with the channel's own id for it, or as
    /// failed with the reason the channel gave.
    func acknowledged(_ ack: HopAck, from: PeerAddress) async {
        // Only an ingress's acknowledgement says an ingress is alive, and only one that settled
        // a reply of ours says anything about that reply.
        if case .client(let instance) = from, isIngress(from) { ingresses.saw(instance) }
        let settled = await relay.handle(ack, from: from)
        guard case .client = from, settled, ack.outcome != .retryLater else { return }
        let status: InteractionMessage.DeliveryStatus = ack.outcome == .rejected ? .failed : .sent
        let detail = ack.outcome == .rejected ? [ack.code, ack.detail].compactMap { $0 }.joined(separator: ": ") : nil
        let database = database
        do {
            // Its own task, which a stopping service does not cancel: the relay has already
            // settled the reply, so a status write given up here would leave it "queued" for good.
            try await Task {
                try await database.store.write { db in
                    try db.execute(
                        sql: """
                            UPDATE message SET deliveryStatus = ?, deliveryDetail = COALESCE(?, deliveryDetail),
                                externalMessageId = COALESCE(?, externalMessageId), updatedAt = ?
                            WHERE id = ? AND direction = 'outbound' AND deliveryStatus = 'queued'
                            """,
                        arguments: [status.rawValue, detail, ack.info["externalId"], Date().timeIntervalSince1970, ack.messageId])
                }
            }.value
        } catch {
            logger.error("could not record a delivery status", metadata: ["message": "\(ack.messageId)", "error": "\(error)"])
        }
    }

    /// Whether `from` authenticated as an ingress instance (on an insecure bus nobody did, and
    /// every client counts).
    func isIngress(_ from: PeerAddress) -> Bool {
        guard node.engine.security.isAuthenticated else { return true }
        return node.identity(of: from)?.role == .ingress
    }

    /// Sends, approves or rejects a held reply.
    func decide(_ decision: DraftDecision) async throws -> any MessagePayload {
        let result = try await database.store.write { db -> any MessagePayload in
            guard var message = try self.database.message(db, id: decision.messageId), message.direction == .outbound
            else {
                return Failure(code: "not_found", message: "no outbound message '\(decision.messageId)'")
            }
            guard message.deliveryStatus == .draft else {
                return Failure(code: "not_held", message: "the message is \(message.deliveryStatus.rawValue), not held")
            }
            let policy = message.deliveryPolicy ?? .draft
            switch (policy, decision.action) {
            case (_, .reject):
                message.deliveryStatus = .suppressed
                message.deliveryDetail = "rejected by \(decision.actor)"
            case (.review, .approve), (.draft, .send):
                try self.release(db, &message, by: decision)
            case (.review, .send):
                return Failure(code: "review_required", message: "a message under review leaves only when a reviewer approves it")
            default:
                return Failure(code: "not_under_review", message: "a draft is sent with 'send', not '\(decision.action.rawValue)'")
            }
            message.updatedAt = Date()
            try self.database.updateDelivery(message, db)
            return DraftDecisionResult(message: message)
        }
        relay.wake()
        return result
    }

    private func release(_ db: Database, _ message: inout InteractionMessage, by decision: DraftDecision) throws {
        let verb = decision.action == .approve ? "approved" : "sent"
        message.deliveryDetail = "\(verb) by \(decision.actor)"
        guard !message.channel.answersInline else {
            // No transport of its own: released, the reply is what the API shows for the execution.
            message.deliveryStatus = .sent
            return
        }
        let trigger = try Row.fetchOne(
            db, sql: "SELECT id, replyContext FROM message WHERE executionId = ? AND direction = 'inbound'", arguments: [message.executionId])
        let session = try InteractionSession.fetchOne(db, key: message.sessionId)
        let statusText: String? = try String.fetchOne(db, sql: "SELECT executionStatus FROM message WHERE id = ?", arguments: [message.id])
        let outbound = OutboundMessage(
            executionId: message.executionId ?? "", sessionId: message.sessionId, inReplyTo: trigger?["id"] ?? "",
            channel: message.channel, endpoint: session?.endpoint ?? "", recipient: message.recipient, text: message.body,
            status: statusText.flatMap(AgentExecution.Status.init(rawValue:)) ?? .completed, error: nil, replyTo: nil,
            replyContext: Self.decodeContext(trigger?["replyContext"]))
        try enqueueDelivery(
            db, Envelope(id: message.id, correlation: Correlation(sessionId: message.sessionId, executionId: message.executionId), body: outbound))
        message.deliveryStatus = .queued
    }

    static func decodeContext(_ json: String?) -> [String: String]? {
        json.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }
}
