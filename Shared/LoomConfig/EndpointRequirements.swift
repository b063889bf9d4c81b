import LoomContract

/// Which settings each kind of endpoint cannot work without.
enum EndpointRequirements {
    static func missing(in endpoint: ChannelEndpoint) -> [String] {
        var required: [(String, Bool)] = []
        switch endpoint.channel {
        case .api, .chat, .openai:
            break
        case .slack:
            required = [("signingSecret", endpoint.signingSecret != nil), ("accessToken", endpoint.accessToken != nil)]
        case .email:
            required = [
                ("relayToken", endpoint.relayToken != nil), ("address", endpoint.address != nil), ("smtpHost", endpoint.smtpHost != nil),
            ]
        case .sms, .whatsapp:
            switch endpoint.resolvedCarrier {
            case .twilio:
                required = [("accountSid", endpoint.accountSid != nil), ("authToken", endpoint.authToken != nil)]
            case .meta:
                required = [
                    ("signingSecret", endpoint.signingSecret != nil), ("verifyToken", endpoint.verifyToken != nil),
                    ("accessToken", endpoint.accessToken != nil),
                ]
            case nil:
                required = [("carrier", false)]
            }
        }
        return required.filter { !$0.1 }.map(\.0)
    }

    static func describe(_ endpoint: ChannelEndpoint) -> String {
        endpoint.resolvedCarrier.map { "\(endpoint.channel.rawValue) (\($0.rawValue))" } ?? endpoint.channel.rawValue
    }
}
