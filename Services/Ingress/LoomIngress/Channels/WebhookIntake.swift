import Foundation
import HTTPTypes
import Hummingbird
import LoomConfig
import LoomContract

/// A provider's webhook call, read once with the ingress's size limit.
struct WebhookRequest: Sendable {
    var method: HTTPRequest.Method
    var headers: HTTPFields
    var body: Data
    /// The URL as the provider called it (the endpoint's `publicURL` when configured).
    var url: String
    var query: [String: String]
}

/// What a verified webhook call amounts to: the messages to hand to the router, and the
/// answer the provider gets once all of them are committed.
struct WebhookIntake {
    struct Message {
        var id: String
        var inbound: InboundMessage
    }

    var messages: [Message]
    var response: Response

    /// A call that carries nothing to route (a verification, a status callback, a bot's own
    /// message): answered at once.
    static func answer(_ response: Response) -> WebhookIntake { WebhookIntake(messages: [], response: response) }
}

/// One channel's inbound side: verify the call is genuine, then normalize it.
protocol InboundAdapter: Sendable {
    func intake(_ request: WebhookRequest, endpointName: String, endpoint: ChannelEndpoint, replyTo: String) throws(Problem) -> WebhookIntake
}

/// One channel's outbound side: deliver a reply through the provider's API.
protocol OutboundSender: Sendable {
    /// Returns the provider's id for the sent message, when it gives one.
    func send(_ message: OutboundMessage, endpoint: ChannelEndpoint, messageId: String) async throws(DeliveryFailure) -> String?
}

/// Why a delivery attempt did not succeed, and whether trying again may help.
struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    var code: String
    var detail: String
    var retryable: Bool
    /// The provider's `Retry-After`, in seconds.
    var retryAfter: Double?

    var description: String { "\(code): \(detail)" }

    static func misconfigured(_ detail: String) -> DeliveryFailure {
        DeliveryFailure(code: "endpoint_misconfigured", detail: detail, retryable: false)
    }
}

func textResponse(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}
