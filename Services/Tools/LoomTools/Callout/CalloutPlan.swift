import Foundation
import LoomConfig
import LoomContract

/// The request an `http_callout` sends, built from the admin's settings and the model's
/// validated arguments: `{name}` in the path takes the argument `name`, percent-encoded as one
/// path segment; the arguments left over become the JSON body or the query, as configured.
/// Headers come from the admin's templates only, with their secrets resolved; the model never
/// sets a header.
struct CalloutPlan: Sendable, Equatable {
    var url: URL
    var method: String
    var headers: [(name: String, value: String)]
    var body: Data?
    /// The resolved secret values, scrubbed from anything the call answers.
    var secrets: [String]

    static func == (a: CalloutPlan, b: CalloutPlan) -> Bool {
        a.url == b.url && a.method == b.method && a.body == b.body && a.secrets == b.secrets
            && a.headers.map { "\($0.name): \($0.value)" } == b.headers.map { "\($0.name): \($0.value)" }
    }

    struct Refusal: Error, Equatable {
        var code: String
        var reason: String
    }

    static func make(
        _ backend: HTTPCalloutBackend, arguments: [String: JSONValue], idempotencyKey: String,
        environment: [String: String]
    ) throws(Refusal) -> CalloutPlan {
        var rest = arguments
        let path = try fill(backend.path, from: &rest)
        let base =
            backend.baseURL.hasSuffix("/") && path.hasPrefix("/") ? String(backend.baseURL.dropLast()) : backend.baseURL
        var text = base + path
        var body: Data?
        switch backend.arguments {
        case .query where !rest.isEmpty:
            var pairs: [String] = []
            for (key, value) in rest.sorted(by: { $0.key < $1.key }) {
                pairs.append("\(encode(key))=\(encode(try scalar(value, key)))")
            }
            text += "?" + pairs.joined(separator: "&")
        case .body:
            do { body = try WireCodec.encodeValue(JSONValue.object(rest)) } catch {
                throw Refusal(code: "invalid_arguments", reason: "the arguments cannot be sent as JSON")
            }
        case .query, .none: break
        }
        guard let url = URL(string: text), url.host != nil else {
            throw Refusal(code: "invalid_arguments", reason: "the arguments do not make a valid URL")
        }
        var headers: [(name: String, value: String)] = []
        var secrets: [String] = []
        for (name, template) in backend.headers.sorted(by: { $0.key < $1.key }) {
            // Never the value in the message: it may hold a secret.
            guard let value = HeaderTemplate.render(template, environment: environment) else {
                throw Refusal(code: "not_configured", reason: "the secret for header '\(name)' is missing or unusable")
            }
            headers.append((name, value))
            secrets += HeaderTemplate.secrets(in: template).compactMap { $0.resolve(environment: environment) }
        }
        headers.append(("Idempotency-Key", idempotencyKey))
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return CalloutPlan(
            url: url, method: backend.method, headers: headers, body: body, secrets: secrets.filter { $0.count >= 4 })
    }

    /// The path with each `{name}` replaced; used arguments are taken out of `arguments`.
    static func fill(_ template: String, from arguments: inout [String: JSONValue]) throws(Refusal) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = arguments.removeValue(forKey: name) else {
                throw Refusal(code: "missing_argument", reason: "'\(name)' is required")
            }
            let segment = try scalar(value, name)
            guard !segment.isEmpty, segment != ".", segment != ".." else {
                throw Refusal(code: "invalid_arguments", reason: "'\(name)' cannot be empty, '.' or '..'")
            }
            result += String(rest[..<open]) + encode(segment)
            rest = rest[rest.index(after: close)...]
        }
        return result + String(rest)
    }

    static func scalar(_ value: JSONValue, _ name: String) throws(Refusal) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number) where number.isFinite:
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: throw Refusal(code: "invalid_arguments", reason: "'\(name)' must be a string, number or boolean")
        }
    }

    /// Everything but RFC 3986's unreserved characters, percent-encoded: a '/', '?', '#' or
    /// '%' in an argument stays inside its segment or value.
    static func encode(_ text: String) -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
