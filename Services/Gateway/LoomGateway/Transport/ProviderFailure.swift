import Foundation
import LoomContract

/// Why a call to a provider produced no answer, and what the gateway may do about it.
struct ProviderFailure: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// 429: retried after `Retry-After` or backoff.
        case rateLimited
        /// 5xx (and Anthropic's 529 "overloaded"): retried.
        case serverError
        /// No answer within the connect or total timeout: retried.
        case timedOut
        /// Refused connection, reset, DNS: retried.
        case transport
        /// The stream broke off after text had been sent on: not retried (the caller has seen it).
        case interrupted
        /// 401/403: the key is wrong or lacks access; not retried, but a fallback may answer.
        case unauthorized
        /// Any other 4xx: the request itself is wrong; surfaced with the provider's message.
        case rejected
        /// A body that is not the provider's format, or a stream that ended early.
        case malformed
        /// The key's variable or file is missing.
        case missingKey
        /// The provider's own limits kept the call queued past the queue timeout.
        case queueTimeout
    }

    var kind: Kind
    var provider: String
    var status: Int?
    var message: String
    /// What the provider asked us to wait, from `Retry-After`.
    var retryAfter: Duration?

    /// Whether the same provider may answer if asked again.
    var retryable: Bool { [.rateLimited, .serverError, .timedOut, .transport].contains(kind) }

    /// Whether another provider should be tried: anything that says this provider cannot
    /// answer now, rather than that the request is wrong.
    var triesFallback: Bool { kind != .rejected && kind != .interrupted }

    var code: String {
        switch kind {
        case .rateLimited: "provider_rate_limited"
        case .serverError: "provider_error"
        case .timedOut: "provider_timeout"
        case .transport: "provider_unreachable"
        case .interrupted: "provider_stream_interrupted"
        case .unauthorized: "provider_unauthorized"
        case .rejected: "provider_rejected"
        case .malformed: "provider_malformed_response"
        case .missingKey: "provider_key_missing"
        case .queueTimeout: "provider_queue_timeout"
        }
    }

    var description: String {
        "\(provider): " + (status.map { "HTTP \($0): " } ?? "") + message
    }

    var asFailure: Failure {
        Failure(code: code, message: description, retryable: retryable || kind == .queueTimeout)
    }

    /// Classifies an HTTP error answer.
    static func http(status: Int, provider: String, message: String, retryAfter: Duration?) -> ProviderFailure {
        let kind: Kind =
            switch status {
            case 429: .rateLimited
            case 401, 403: .unauthorized
            case 408: .timedOut
            case 500...599: .serverError
            default: .rejected
            }
        return ProviderFailure(kind: kind, provider: provider, status: status, message: message, retryAfter: retryAfter)
    }
}
