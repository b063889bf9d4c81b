import Foundation
import GRDB
import LoomContract

/// Reversible masking: personal data becomes stable per-scope tokens, and tokens become the
/// originals again, tolerating a model that changes a token's case or spacing.
struct Masker: Sendable {
    let vault: TokenVault
    let detector = PIIDetector()

    func mask(_ request: MaskRequest) async throws -> MaskResult {
        let detector = self.detector
        return try await vault.store.write { db in
            var detections: [String: Int] = [:]
            let texts = try request.texts.map { text -> String in
                var output = ""
                var cursor = text.startIndex
                for match in detector.matches(in: text) {
                    output += text[cursor..<match.range.lowerBound]
                    output += try TokenVault.token(db, scope: request.scope, kind: match.kind, original: match.value)
                    detections[match.kind.rawValue.lowercased(), default: 0] += 1
                    cursor = match.range.upperBound
                }
                return output + text[cursor...]
            }
            return MaskResult(texts: texts, detections: detections)
        }
    }

    /// `[EMAIL_1]`, `[ email_1 ]`, `[Email _ 1]` all name the same token.
    private static let tokenPattern = try? NSRegularExpression(pattern: #"\[\s*([A-Za-z]+)\s*_\s*(\d+)\s*\]"#)

    func unmask(_ request: UnmaskRequest) async throws -> UnmaskResult {
        guard let pattern = Self.tokenPattern else { return UnmaskResult(texts: request.texts, unknownTokens: []) }
        return try await vault.store.read { db in
            var unknown: [String] = []
            let texts = try request.texts.map { text -> String in
                var output = ""
                var cursor = text.startIndex
                for result in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let range = Range(result.range, in: text), let kindRange = Range(result.range(at: 1), in: text),
                        let numberRange = Range(result.range(at: 2), in: text)
                    else { continue }
                    let token = "[\(text[kindRange].uppercased())_\(text[numberRange])]"
                    output += text[cursor..<range.lowerBound]
                    if let original = try TokenVault.original(db, scope: request.scope, token: token) {
                        output += original
                    } else {
                        output += text[range]
                        unknown.append(token)
                    }
                    cursor = range.upperBound
                }
                return output + text[cursor...]
            }
            return UnmaskResult(texts: texts, unknownTokens: unknown)
        }
    }
}
