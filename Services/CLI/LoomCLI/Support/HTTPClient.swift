import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Minimal JSON-over-HTTP calls to the ingress.
enum HTTPClient {
    struct Response {
        var status: Int
        var body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func postJSON(_ url: URL, _ object: [String: Any], headers: [String: String] = [:], timeout: TimeInterval = 60) async throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try JSONSerialization.data(withJSONObject: object)
        return try await send(request)
    }

    static func post(_ url: URL, body: Data, headers: [String: String], timeout: TimeInterval = 60) async throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        return try await send(request)
    }

    static func get(_ url: URL, timeout: TimeInterval = 5) async throws -> Response {
        try await send(URLRequest(url: url, timeoutInterval: timeout))
    }

    private static func send(_ request: URLRequest) async throws -> Response {
        let (data, response) = try await URLSession.shared.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}
