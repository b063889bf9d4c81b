import Foundation
import LoomConfig
import LoomContract

/// An HTTP call to a provider, before the transport sends it.
struct ProviderHTTPRequest: Sendable {
    var url: URL
    var headers: [(String, String)]
    var body: Data
}

/// What a provider answered, in the contract's terms.
struct ProviderAnswer: Sendable, Equatable {
    var text: String
    var toolCalls: [ToolCall]
    var inputTokens: Int
    var outputTokens: Int
    /// `stop`, `tool_calls`, `length` or the provider's own word.
    var finishReason: String
    var model: String?
}

/// Translates between the contract and one provider's wire format.
protocol ProviderAdapter: Sendable {
    func request(for completion: CompletionRequest, key: String?, stream: Bool) throws -> ProviderHTTPRequest
    /// A whole (non-streamed) answer body.
    func answer(from body: Data) throws(ProviderFormatError) -> ProviderAnswer
    /// A fresh reader for one streamed answer.
    func streamReader() -> any ProviderStreamReader
    /// The human-readable message in an error body, if the body has one.
    func errorMessage(in body: Data) -> String?
}

/// Builds an answer from a provider's streamed events.
protocol ProviderStreamReader: Sendable {
    /// Takes one event; returns the answer text it adds, if any.
    mutating func read(_ event: ServerSentEvent) throws(ProviderFormatError) -> String?
    /// Whether the provider said the answer is complete.
    var isComplete: Bool { get }
    func answer() throws(ProviderFormatError) -> ProviderAnswer
}

/// A provider's body that is not in its documented format.
struct ProviderFormatError: Error, Sendable, CustomStringConvertible {
    var description: String
    /// The provider itself reported a failure inside an otherwise well-formed stream (an
    /// `error` event), which is worth a retry like a 5xx.
    var reportedByProvider: Bool

    init(_ description: String, reportedByProvider: Bool = false) {
        self.description = description
        self.reportedByProvider = reportedByProvider
    }

    /// Decodes `type` from `data`, naming what was wrong without echoing the whole body. The
    /// shared limits run first: a provider's body is untrusted, and Foundation traps on deep input.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(ProviderFormatError) -> T {
        do {
            try JSONLimits.standard.check(data)
        } catch {
            throw ProviderFormatError("\(what) was refused before parsing: \(error)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ProviderFormatError("\(what) is not valid: \(Self.brief(error))")
        } catch {
            throw ProviderFormatError("\(what) is not valid JSON")
        }
    }

    private static func brief(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context): return "missing '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at '\(path(context.codingPath))'"
        @unknown default: return "undecodable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

extension ToolCall {
    /// Arguments as the provider sent them (a JSON text); text that is not a JSON object is
    /// kept as a string, so schema validation reports it to the model instead of failing here;
    /// so is text beyond the shared nesting and length limits.
    static func arguments(fromJSONText text: String) -> JSONValue {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([:]) }
        let data = Data(text.utf8)
        guard (try? JSONLimits.standard.check(data)) != nil,
            let value = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return .string(text) }
        return value
    }
}

extension URL {
    /// `base` with `path` appended, keeping any query the base carries.
    static func joining(_ base: String, _ path: String, query: [URLQueryItem] = []) throws -> URL {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard var components = URLComponents(string: trimmed + path), components.scheme != nil else {
            throw ProviderFormatError("the base URL '\(base)' is not an absolute URL")
        }
        if !query.isEmpty { components.queryItems = (components.queryItems ?? []) + query }
        guard let url = components.url else { throw ProviderFormatError("cannot form a URL from '\(base)'") }
        return url
    }
}

/// `{"error": {"message": …}}`: the error body of OpenAI-style servers and (inside
/// `{"type": "error", …}`) of Anthropic.
enum ProviderErrorBody {
    static func message(in body: Data) -> String? {
        struct Envelope: Decodable {
            struct Detail: Decodable { var message: String? }
            var error: Detail?
        }
        guard (try? JSONLimits.standard.check(body)) != nil else { return nil }
        return (try? JSONDecoder().decode(Envelope.self, from: body))?.error?.message
    }
}
