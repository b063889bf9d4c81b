import Foundation
import HTTPTypes
import Hummingbird
import LoomContract

/// Reading request bodies and forms with the ingress's limits and error shapes.
enum HTTPInput {
    /// The whole body, or 413 when it is larger than `limit`.
    static func body(of request: Request, limit: Int) async throws(Problem) -> Data {
        var request = request
        do {
            return Data(buffer: try await request.collectBody(upTo: limit))
        } catch {
            throw Problem(status: 413, title: "Content Too Large", detail: "the body exceeds \(limit) bytes", code: "body_too_large")
        }
    }

    static func requireContentType(_ request: Request, _ accepted: String...) throws(Problem) {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard accepted.contains(where: { type.hasPrefix($0) }) else {
            throw Problem(
                status: 415, title: "Unsupported Media Type", detail: "send \(accepted.joined(separator: " or "))", code: "unsupported_media_type")
        }
    }

    /// `application/x-www-form-urlencoded` pairs in order, percent-decoded, `+` as space.
    static func formPairs(_ body: Data) throws(Problem) -> [(String, String)] {
        guard let text = String(data: body, encoding: .utf8) else { throw Problem.badRequest("malformed_form", "the form is not UTF-8") }
        var pairs: [(String, String)] = []
        for item in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) throws(Problem) -> String {
                guard let value = part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Problem.badRequest("malformed_form", "the form has a bad percent-encoding")
                }
                return value
            }
            pairs.append((try decode(parts[0]), parts.count > 1 ? try decode(parts[1]) : ""))
        }
        return pairs
    }

    /// The body as `T`, after the shared nesting and length limits: Foundation's decoder traps
    /// on deep enough input, so an unchecked body could end the process.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from body: Data) throws(Problem) -> T {
        do {
            try JSONLimits.standard.check(body)
        } catch {
            throw Problem.badRequest(error.code, "the body was refused before parsing: \(error)")
        }
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'\(field)' has the wrong type", code: "invalid_field")
        } catch DecodingError.keyNotFound(let key, let context) {
            let field = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("missing_field", "'\(field)' is required")
        } catch {
            throw Problem.badRequest("malformed_json", "the body is not the expected JSON")
        }
    }

    /// The URL the caller used, as far as the request shows it (scheme from the forwarding
    /// header when a proxy set one).
    static func requestURL(_ request: Request) -> String {
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http"
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? "localhost"
        return "\(scheme)://\(host)\(request.uri.string)"
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(status: 401, title: "Unauthorized", detail: detail, code: "bad_signature")
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let traceparent = HTTPField.Name("traceparent")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let prefer = HTTPField.Name("Prefer")!
    static let slackSignature = HTTPField.Name("X-Slack-Signature")!
    static let slackTimestamp = HTTPField.Name("X-Slack-Request-Timestamp")!
    static let slackRetryNum = HTTPField.Name("X-Slack-Retry-Num")!
    static let twilioSignature = HTTPField.Name("X-Twilio-Signature")!
    static let hubSignature = HTTPField.Name("X-Hub-Signature-256")!
    static let sessionKey = HTTPField.Name("X-Session-Key")!
    static let loomEndpoint = HTTPField.Name("X-Loom-Endpoint")!
    static let loomHistory = HTTPField.Name("X-Loom-History")!
}
