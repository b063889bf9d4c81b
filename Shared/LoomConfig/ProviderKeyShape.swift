import Foundation

/// Recognizes text shaped like a hosted provider's API key (OpenAI `sk-…`, `sk-proj-…`,
/// Anthropic `sk-ant-…`), so a key pasted into metadata is caught before every service reads it.
enum ProviderKeyShape {
    static let pattern = #"\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}"#

    /// The 1-based line of the first key-shaped text, or nil.
    static func firstLine(in text: String) -> Int? {
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
