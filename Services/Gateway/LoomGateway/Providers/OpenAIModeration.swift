import Foundation
import LoomConfig

/// OpenAI's moderation endpoint (`POST {base}/moderations`): is this text flagged, and for what.
struct OpenAIModeration: Sendable {
    let config: ProviderConfig

    func request(text: String, key: String?) throws -> ProviderHTTPRequest {
        var headers = [("content-type", "application/json")]
        if let key { headers.append(config.apiVersion == nil ? ("authorization", "Bearer \(key)") : ("api-key", key)) }
        struct Body: Encodable {
            var model: String?
            var input: String
        }
        let query = config.apiVersion.map { [URLQueryItem(name: "api-version", value: $0)] } ?? []
        return ProviderHTTPRequest(
            url: try URL.joining(config.resolvedBaseURL ?? "", "/moderations", query: query), headers: headers,
            body: try JSONEncoder().encode(Body(model: config.moderationModel, input: text)))
    }

    /// Flagged, and the names of the flagged categories (sorted).
    func verdict(from body: Data) throws(ProviderFormatError) -> (flagged: Bool, categories: [String]) {
        struct Response: Decodable {
            struct Result: Decodable {
                var flagged: Bool
                var categories: [String: Bool]?
            }
            var results: [Result]
        }
        let response = try ProviderFormatError.decode(Response.self, from: body, what: "the moderation result")
        guard !response.results.isEmpty else { throw ProviderFormatError("the moderation result has no results") }
        let flagged = response.results.contains { $0.flagged }
        let categories = Set(response.results.flatMap { ($0.categories ?? [:]).filter(\.value).map(\.key) })
        return (flagged, categories.sorted())
    }
}
