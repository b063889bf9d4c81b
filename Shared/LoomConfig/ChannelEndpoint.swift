import LoomContract

/// Where traffic arrives, what channel it is, which secrets prove it genuine, and how replies
/// are delivered. Channel-specific settings are flat keys; the validator says which channel
/// needs which.
public struct ChannelEndpoint: Sendable, Codable, Equatable {
    public typealias DeliveryPolicy = LoomContract.DeliveryPolicy

    /// Who carries the traffic when a channel has several carriers (WhatsApp: Twilio or Meta).
    public enum Carrier: String, Sendable, Codable, CaseIterable { case twilio, meta }

    /// OpenAI-compatible endpoints: what a request with a session key does when the messages it
    /// sends before its new one are not the end of what the session holds.
    public enum RequestHistory: String, Sendable, Codable, CaseIterable {
        /// Answered 409 `history_mismatch`, naming the first message the session does not hold.
        case refuse
        /// The request's messages are the turn's conversation; the session records the turn.
        case request
        /// The session's memory is the history; the response says so in `X-Loom-History`.
        case session
    }

    public var channel: Channel
    public var carrier: Carrier?
    public var delivery: DeliveryPolicy
    /// Sessions on this endpoint roll over after this much inactivity.
    public var sessionInactivitySeconds: Double
    /// Sessions roll over after this many turns.
    public var sessionTurnLimit: Int

    /// Slack: the app's signing secret. Meta: the app secret behind `X-Hub-Signature-256`.
    public var signingSecret: SecretReference?
    /// Slack bot token, Meta access token: the bearer credential for sending replies.
    public var accessToken: SecretReference?
    /// Twilio account SID and auth token (the auth token also signs webhooks).
    public var accountSid: String?
    public var authToken: SecretReference?
    /// Meta: the token the `hub.challenge` verification must present.
    public var verifyToken: SecretReference?
    /// The webhook URL exactly as the provider calls it (Twilio signs it); behind a proxy the
    /// ingress cannot reconstruct it.
    public var publicURL: String?
    /// The provider API's base URL, so tests and regional deployments can point elsewhere.
    public var apiBaseURL: String?
    /// E-mail: the bearer token the mail relay presents when posting a raw message.
    public var relayToken: SecretReference?
    /// E-mail: the address replies come from, and the SMTP server they leave through.
    public var address: String?
    public var smtpHost: String?
    public var smtpPort: Int?
    /// API, chat and OpenAI-compatible callers: accepted bearer keys; none configured means open.
    public var apiKeys: [SecretReference]
    /// OpenAI-compatible endpoints; unset means `refuse`.
    public var requestHistory: RequestHistory?

    enum CodingKeys: String, CodingKey {
        case channel, carrier, delivery, sessionInactivitySeconds, sessionTurnLimit, signingSecret, accessToken, accountSid
        case authToken, verifyToken, publicURL, apiBaseURL, relayToken, address, smtpHost, smtpPort, apiKeys, requestHistory
    }

    public init(channel: Channel, delivery: DeliveryPolicy = .reply) {
        self.channel = channel
        self.delivery = delivery
        sessionInactivitySeconds = 86_400
        sessionTurnLimit = 200
        apiKeys = []
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channel = try c.decode(Channel.self, forKey: .channel)
        carrier = try c.decodeIfPresent(Carrier.self, forKey: .carrier)
        delivery = try c.decodeIfPresent(DeliveryPolicy.self, forKey: .delivery) ?? .reply
        sessionInactivitySeconds = try c.decodeIfPresent(Double.self, forKey: .sessionInactivitySeconds) ?? 86_400
        sessionTurnLimit = try c.decodeIfPresent(Int.self, forKey: .sessionTurnLimit) ?? 200
        signingSecret = try c.decodeIfPresent(SecretReference.self, forKey: .signingSecret)
        accessToken = try c.decodeIfPresent(SecretReference.self, forKey: .accessToken)
        accountSid = try c.decodeIfPresent(String.self, forKey: .accountSid)
        authToken = try c.decodeIfPresent(SecretReference.self, forKey: .authToken)
        verifyToken = try c.decodeIfPresent(SecretReference.self, forKey: .verifyToken)
        publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
        apiBaseURL = try c.decodeIfPresent(String.self, forKey: .apiBaseURL)
        relayToken = try c.decodeIfPresent(SecretReference.self, forKey: .relayToken)
        address = try c.decodeIfPresent(String.self, forKey: .address)
        smtpHost = try c.decodeIfPresent(String.self, forKey: .smtpHost)
        smtpPort = try c.decodeIfPresent(Int.self, forKey: .smtpPort)
        apiKeys = try c.decodeIfPresent([SecretReference].self, forKey: .apiKeys) ?? []
        requestHistory = try c.decodeIfPresent(RequestHistory.self, forKey: .requestHistory)
    }

    /// The carrier, with each channel's only option filled in.
    public var resolvedCarrier: Carrier? {
        switch channel {
        case .sms: carrier ?? .twilio
        case .whatsapp: carrier
        default: nil
        }
    }

    /// Every secret the endpoint names, with its field.
    public var secretReferences: [(field: String, reference: SecretReference)] {
        let single: [(String, SecretReference?)] = [
            ("signingSecret", signingSecret), ("accessToken", accessToken), ("authToken", authToken), ("verifyToken", verifyToken),
            ("relayToken", relayToken),
        ]
        return single.compactMap { field, reference in reference.map { (field, $0) } }
            + apiKeys.enumerated().map { ("apiKeys.\($0.offset)", $0.element) }
    }
}
