import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging
import Synchronization

/// Sends channel replies that the router hands to this ingress instance, and reports the
/// outcome as the custody acknowledgement: `stored` with the provider's message id once sent,
/// `rejected` with the provider's reason once it is clear it will not go, `retryLater` while a
/// send of the same message is still running here.
///
/// A resend of a message this instance already sent gets the recorded outcome instead of a
/// second post, so a lost acknowledgement never posts twice.
final class OutboundDelivery: Sendable {
    private let metadata: LoomMetadata
    private let logger: Logger
    private let attempts: Int
    private let baseDelay: Duration
    private let sent = Mutex<[String: Record]>([:])

    private enum Record {
        case sending
        case done(HopAck, ContinuousClock.Instant)
    }

    init(metadata: LoomMetadata, logger: Logger, attempts: Int = 4, baseDelay: Duration = .milliseconds(500)) {
        self.metadata = metadata
        self.logger = logger
        self.attempts = attempts
        self.baseDelay = baseDelay
    }

    static func sender(for endpoint: ChannelEndpoint) -> (any OutboundSender)? {
        switch (endpoint.channel, endpoint.resolvedCarrier) {
        case (.slack, _): SlackSender()
        case (.email, _): EmailSender()
        case (.sms, _), (.whatsapp, .twilio): TwilioSender()
        case (.whatsapp, .meta): MetaWhatsAppSender()
        default: nil
        }
    }

    func deliver(_ envelope: Envelope, _ message: OutboundMessage) async -> HopAck {
        let claim = sent.withLock { records -> HopAck? in
            records = records.filter { if case .done(_, let at) = $0.value { at > .now - .seconds(3600) } else { true } }
            switch records[envelope.id] {
            case .sending?: return HopAck(messageId: envelope.id, outcome: .retryLater, code: "in_progress", detail: "being sent")
            case .done(let ack, _)?: return ack
            case nil:
                records[envelope.id] = .sending
                return nil
            }
        }
        if let claim { return claim }
        let ack = await send(envelope.id, message)
        sent.withLock { $0[envelope.id] = .done(ack, .now) }
        return ack
    }

    private func send(_ messageId: String, _ message: OutboundMessage) async -> HopAck {
        guard let endpoint = metadata.endpoints[message.endpoint], let sender = Self.sender(for: endpoint) else {
            return .rejected(messageId, code: "no_sender", detail: "endpoint '\(message.endpoint)' has no outbound channel")
        }
        var attempt = 0
        while true {
            do {
                let externalId = try await sender.send(message, endpoint: endpoint, messageId: messageId)
                logger.info("reply sent", metadata: ["message": "\(messageId)", "channel": "\(message.channel.rawValue)"])
                return HopAck(messageId: messageId, outcome: .stored, info: externalId.map { ["externalId": $0] } ?? [:])
            } catch {
                attempt += 1
                logger.warning(
                    "reply not sent", metadata: ["message": "\(messageId)", "attempt": "\(attempt)", "error": "\(error)"])
                guard error.retryable, attempt < attempts else {
                    return .rejected(messageId, code: error.code, detail: error.detail)
                }
                let backoff = Backoff(base: baseDelay, cap: .seconds(8)).delay(afterAttempt: attempt - 1)
                let wait = error.retryAfter.map { Duration.milliseconds(Int(min($0, 30) * 1000)) } ?? backoff
                try? await Task.sleep(for: max(wait, backoff))
            }
        }
    }
}
