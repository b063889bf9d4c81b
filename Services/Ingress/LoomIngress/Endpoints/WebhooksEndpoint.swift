import Foundation
import Hummingbird
import LoomConfig
import LoomContract
import Logging

/// `POST /hooks/{endpoint}` (and `GET` for Meta's subscription check): every provider webhook
/// arrives here and is handled by the adapter of the endpoint's channel. The provider gets
/// its 2xx only after each message in the call is committed by the router; a bad signature
/// gets 401 before anything is handed on.
struct WebhooksEndpoint: Sendable {
    let link: RouterLink
    let metadata: LoomMetadata
    let maxBodyBytes: Int
    let logger: Logger

    static func adapter(for endpoint: ChannelEndpoint) -> (any InboundAdapter)? {
        switch (endpoint.channel, endpoint.resolvedCarrier) {
        case (.slack, _): SlackInbound()
        case (.email, _): EmailInbound()
        case (.sms, _), (.whatsapp, .twilio): TwilioInbound()
        case (.whatsapp, .meta): MetaWhatsAppInbound()
        default: nil
        }
    }

    func handle(_ request: Request, endpointName: String) async -> Response {
        do {
            return try await accept(request, endpointName: endpointName)
        } catch {
            if error.status == 401 { logger.warning("refused a webhook call", metadata: ["endpoint": "\(endpointName)", "reason": "\(error.detail)"]) }
            return error.response
        }
    }

    private func accept(_ request: Request, endpointName: String) async throws(Problem) -> Response {
        guard let endpoint = metadata.endpoints[endpointName], let adapter = Self.adapter(for: endpoint) else {
            throw Problem(status: 404, title: "Not Found", detail: "no webhook endpoint named '\(endpointName)'", code: "unknown_endpoint")
        }
        let body = request.method == .get ? Data() : try await HTTPInput.body(of: request, limit: maxBodyBytes)
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
        let webhook = WebhookRequest(
            method: request.method, headers: request.headers, body: body, url: endpoint.publicURL ?? HTTPInput.requestURL(request), query: query)
        let intake = try adapter.intake(webhook, endpointName: endpointName, endpoint: endpoint, replyTo: link.node.instance)
        for message in intake.messages {
            let accepted = try await link.submit(
                message.inbound, messageId: message.id, traceparent: request.headers[.traceparent], deadlineSeconds: 300, holdingReply: false)
            if accepted.isDuplicate {
                logger.info(
                    "replayed delivery ignored",
                    metadata: ["endpoint": "\(endpointName)", "external": "\(message.inbound.externalMessageId ?? "-")",
                               "retry": "\(request.headers[.slackRetryNum] ?? "-")"])
            }
        }
        return intake.response
    }
}
