import Crypto
import Foundation
import LoomBus
import LoomContract
import Logging

/// Hands normalized inbound messages to the router and, for inline channels, waits for the
/// reply. Every channel goes through here, so custody and dedup behave the same everywhere.
struct RouterLink: Sendable {
    let node: BusNode
    let waiters: ReplyWaiters
    let logger: Logger

    /// What the router did with a message.
    struct Accepted: Sendable {
        var messageId: String
        var ack: HopAck
        var sessionId: String? { ack.info["sessionId"] }
        var executionId: String? { ack.info["executionId"] }
        var isDuplicate: Bool { ack.outcome == .duplicate }
    }

    /// How an inline caller's wait ended.
    enum Reply: Sendable {
        case arrived(OutboundMessage)
        /// A repeat of an answered message: the first answer, from the router's records.
        case repeated(text: String, status: String, delivery: String?)
        /// Not answered within the wait; the caller polls or streams events instead.
        case pending
    }

    /// The id of an inbound message: from the channel's own id when it has one, otherwise a
    /// fingerprint of the content, so a replay is recognised and no two messages share a key.
    static func messageId(channel: Channel, endpoint: String, externalId: String?, content: Data) -> String {
        if let externalId, !externalId.isEmpty {
            return MessageID.derived("in", from: "\(channel.rawValue)|\(endpoint)|\(externalId)")
        }
        let digest = Hex.string(SHA256.hash(data: content))
        return MessageID.derived("in", from: "\(channel.rawValue)|\(endpoint)|sha256:\(digest)")
    }

    /// Returns once the router has committed the message (or recognised it as a repeat).
    /// With `holdingReply`, a waiter is registered first so a fast reply is not missed; the
    /// caller must then call ``awaitReply(_:timeout:)``.
    func submit(
        _ inbound: InboundMessage, messageId: String, traceparent: String?, deadlineSeconds: Double, holdingReply: Bool
    ) async throws(Problem) -> Accepted {
        let envelope = Envelope(
            id: messageId,
            traceparent: traceparent.flatMap(TraceParent.init(parsing:))?.child().description ?? TraceParent.random().description,
            deadline: Date().addingTimeInterval(deadlineSeconds), body: inbound)
        if holdingReply { waiters.expect(messageId) }
        let ack: HopAck
        do {
            ack = try await node.deliverAwaitingAck(envelope, to: .peer("router"), timeout: .seconds(2), attempts: 3)
        } catch {
            waiters.cancel(messageId)
            logger.warning("router did not take a message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            throw Problem(
                status: 503, title: "Service Unavailable", detail: "the router did not accept the message; retry the same request",
                code: "router_unavailable", retryAfter: 1)
        }
        switch ack.outcome {
        case .stored, .duplicate:
            return Accepted(messageId: messageId, ack: ack)
        case .rejected:
            waiters.cancel(messageId)
            throw Self.problem(forRejection: ack)
        case .retryLater:
            waiters.cancel(messageId)
            throw Problem(status: 503, title: "Service Unavailable", detail: ack.detail ?? "try again", code: ack.code ?? "retry_later", retryAfter: 1)
        }
    }

    func awaitReply(_ accepted: Accepted, timeout: Double) async -> Reply {
        if accepted.isDuplicate, let status = accepted.ack.info["replyStatus"] {
            waiters.cancel(accepted.messageId)
            return .repeated(text: accepted.ack.info["reply"] ?? "", status: status, delivery: accepted.ack.info["deliveryStatus"])
        }
        guard let outbound = await waiters.wait(for: accepted.messageId, timeout: .seconds(timeout)) else { return .pending }
        return .arrived(outbound)
    }

    func release(_ accepted: Accepted) { waiters.cancel(accepted.messageId) }

    static func problem(forRejection ack: HopAck) -> Problem {
        let detail = ack.detail ?? "rejected"
        switch ack.code {
        case "unknown_agent", "unknown_endpoint", "no_route":
            return Problem(status: 404, title: "Not Found", detail: detail, code: ack.code ?? "not_found")
        case "agent_inactive":
            return Problem(status: 409, title: "Conflict", detail: detail, code: "agent_inactive")
        case "history_mismatch":
            return Problem(status: 409, title: "Conflict", detail: detail, code: "history_mismatch", param: "messages")
        case "agent_not_routable":
            return Problem(status: 403, title: "Forbidden", detail: detail, code: "agent_not_routable")
        default:
            return Problem(status: 422, title: "Unprocessable Content", detail: detail, code: ack.code ?? "rejected")
        }
    }
}
