import Foundation
import LoomContract

/// What the model gets from a callout's response: 2xx is a success with the body (parsed when
/// it is JSON within the limits, text otherwise); 4xx a failure not worth repeating; 5xx a
/// failure that may be retried only when the call is not irreversible (the service may have
/// acted before it failed). Secrets the request carried are scrubbed from whatever comes back.
enum CalloutResponse {
    static func result(
        status: Int, contentType: String?, body: [UInt8], secrets: [String], irreversible: Bool
    ) -> ToolCallResult {
        let text = scrub(String(decoding: body, as: UTF8.self), secrets)
        switch status {
        case 200...299:
            return ToolCallResult(
                success: true, result: .object(["status": .number(Double(status)), "body": value(text, contentType)]))
        case 400...499:
            return .failure("http_\(status)", "the service refused the call with \(status)\(excerpt(text))")
        case 500...599:
            let note = irreversible ? "; it may have acted, so the call is not repeated" : ""
            return .failure(
                "http_\(status)", "the service failed with \(status)\(excerpt(text))\(note)", retryable: !irreversible)
        default:
            return .failure("http_\(status)", "the service answered \(status), which the callout does not accept")
        }
    }

    static func value(_ text: String, _ contentType: String?) -> JSONValue {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard type == "application/json" || type.hasSuffix("+json") else { return .string(text) }
        let data = Data(text.utf8)
        do {
            try JSONLimits.standard.check(data)
            return try WireJSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            return .string(text)
        }
    }

    static func scrub(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "" : ": " + String(trimmed.prefix(300))
    }
}
