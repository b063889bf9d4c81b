import Foundation
import LoomBus
import LoomContract
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP call to a messaging provider's API, with its failures classified: 429 and 5xx and
/// transport errors are worth retrying (honouring `Retry-After`), other 4xx are not.
enum ProviderHTTP {
    struct Reply {
        var status: Int
        var body: Data
        /// The body as a JSON object, or nil; a provider's answer is untrusted, so it passes the
        /// shared limits before Foundation parses it.
        var json: [String: Any]? {
            guard (try? JSONLimits.standard.check(body)) != nil else { return nil }
            return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 20
        return URLSession(configuration: configuration)
    }()

    static func post(_ url: String, headers: [String: String], body: Data, provider: String) async throws(DeliveryFailure) -> Reply {
        guard let target = URL(string: url) else { throw .misconfigured("not a URL: \(url)") }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw DeliveryFailure(code: "\(provider)_unreachable", detail: "\(error.localizedDescription)", retryable: true)
        }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        let reply = Reply(status: status, body: data)
        guard (200..<300).contains(status) else {
            let retryAfter = RetryAfter.parse(http?.value(forHTTPHeaderField: "Retry-After")).map(\.seconds)
            let detail = "HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))"
            throw DeliveryFailure(
                code: "\(provider)_http_\(status)", detail: detail, retryable: status == 429 || status >= 500, retryAfter: retryAfter)
        }
        return reply
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    static func form(_ pairs: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(pairs.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&").utf8)
    }
}
