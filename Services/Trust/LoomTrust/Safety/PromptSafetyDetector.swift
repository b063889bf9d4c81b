import Foundation

/// Scores text for prompt injection before it reaches a model: instructions that try to
/// override the agent's, chat-template and role tokens, text that tries to close or open the
/// prompt's own delimiters, and base64 or hex blobs that decode to any of those.
///
/// Each finding has a weight; the score is `1 − ∏(1 − weight)`, so findings add up without
/// passing 1. The categories say what was found, never the text itself.
struct PromptSafetyDetector: Sendable {
    struct Finding: Sendable, Equatable {
        var category: Category
        var weight: Double
        var note: String
    }

    enum Category: String, Sendable, CaseIterable {
        case instructionOverride = "instruction_override"
        case roleTokens = "role_tokens"
        case delimiterSmuggling = "delimiter_smuggling"
        case encodedPayload = "encoded_payload"
    }

    struct Assessment: Sendable, Equatable {
        var score: Double
        var findings: [Finding]
        var categories: [String] { Array(Set(findings.map(\.category.rawValue))).sorted() }
    }

    /// Scores at or above this are unsafe.
    static let threshold = 0.5

    func assess(_ text: String) -> Assessment {
        var findings = plainFindings(text)
        for decoded in Self.decodedBlobs(in: text) {
            let hidden = plainFindings(decoded.text)
            if !hidden.isEmpty {
                let categories = Set(hidden.map(\.category.rawValue)).sorted().joined(separator: ", ")
                findings.append(Finding(category: .encodedPayload, weight: 0.85, note: "\(decoded.encoding) text that decodes to \(categories)"))
            }
        }
        let score = 1 - findings.reduce(1.0) { $0 * (1 - $1.weight) }
        return Assessment(score: (score * 1000).rounded() / 1000, findings: findings)
    }

    private func plainFindings(_ text: String) -> [Finding] {
        var findings: [Finding] = []
        for (pattern, weight, note) in Self.overrides where Self.matches(pattern, text) {
            findings.append(Finding(category: .instructionOverride, weight: weight, note: note))
        }
        for (pattern, note) in Self.roleTokens where Self.matches(pattern, text) {
            findings.append(Finding(category: .roleTokens, weight: 0.7, note: note))
        }
        for (pattern, note) in Self.delimiters where Self.matches(pattern, text) {
            findings.append(Finding(category: .delimiterSmuggling, weight: 0.6, note: note))
        }
        return findings
    }

    // MARK: Patterns (literals; a unit test compiles every one)

    static let overrides: [(NSRegularExpression?, Double, String)] = [
        (compile(#"(?i)\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your|the)\b[^.\n]{0,30}\b(instructions?|prompts?|rules|directions|guidelines|context)\b"#),
         0.8, "asks to set the agent's instructions aside"),
        (compile(#"(?i)\b(you are now|from now on,? you (are|will)|pretend (to be|you are)|act as (an? )?(unrestricted|unfiltered|jailbroken|evil))\b"#),
         0.5, "asks the agent to become something else"),
        (compile(#"(?i)\b(reveal|print|show|repeat|output|leak)\b[^.\n]{0,30}\b(system prompt|(hidden|original|initial|secret) (prompt|instructions))\b"#),
         0.6, "asks for the system prompt"),
        (compile(#"(?i)\b(new|updated|real) (system )?instructions\s*:"#), 0.6, "introduces new instructions"),
        (compile(#"(?i)\b(developer mode|DAN mode|jailbreak)\b"#), 0.5, "names a jailbreak"),
    ]

    static let roleTokens: [(NSRegularExpression?, String)] = [
        (compile(#"<\|(im_start|im_end|system|user|assistant|endoftext|start_header_id|end_header_id|eot_id)\|>"#), "chat-template tokens"),
        (compile(#"\[/?INST\]|<</?SYS>>"#), "instruction-format tokens"),
        // Horizontal space only after `^`: `\s` would let every line start in a run of blank
        // lines scan the whole run (quadratic in it).
        (compile(#"(?im)^\h*(#{2,}\h*)?(system|assistant|developer)\s*:"#), "a line posing as another role"),
    ]

    static let delimiters: [(NSRegularExpression?, String)] = [
        (compile(#"(?i)</?\s*context\b[^>]*>"#), "the prompt's context delimiters"),
        (compile(#"(?i)</?\s*(system|instructions|tool_result|function_results)\s*>"#), "tags of a prompt's structure"),
        (compile(#"(?i)\b(end of (the )?(context|document|user input|tool output)|begin (system|new) (prompt|instructions))\b"#), "text marking a boundary"),
    ]

    static let base64Blob = compile(#"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{24,}={0,2}(?![A-Za-z0-9+/=])"#)
    static let hexBlob = compile(#"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){16,}(?![0-9A-Fa-f])"#)

    static func compile(_ pattern: String) -> NSRegularExpression? { try? NSRegularExpression(pattern: pattern) }

    static func matches(_ pattern: NSRegularExpression?, _ text: String) -> Bool {
        pattern?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Blobs that decode to mostly printable text.
    static func decodedBlobs(in text: String) -> [(encoding: String, text: String)] {
        var decoded: [(String, String)] = []
        for range in ranges(base64Blob, text) {
            var blob = String(text[range])
            while blob.count % 4 != 0 { blob += "=" }
            if let data = Data(base64Encoded: blob), let plain = printable(data) { decoded.append(("base64", plain)) }
        }
        for range in ranges(hexBlob, text) {
            let hex = Array(text[range])
            let bytes = stride(from: 0, to: hex.count, by: 2).compactMap { UInt8(String(hex[$0...$0 + 1]), radix: 16) }
            if let plain = printable(Data(bytes)) { decoded.append(("hex", plain)) }
        }
        return decoded
    }

    private static func ranges(_ pattern: NSRegularExpression?, _ text: String) -> [Range<String.Index>] {
        guard let pattern else { return [] }
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
    }

    private static func printable(_ data: Data) -> String? {
        guard let text = String(data: data, encoding: .utf8), !text.isEmpty else { return nil }
        let readable = text.unicodeScalars.filter { $0.properties.isAlphabetic || $0 == " " || $0.properties.generalCategory == .otherPunctuation }
        return Double(readable.count) / Double(text.unicodeScalars.count) > 0.8 ? text : nil
    }
}
