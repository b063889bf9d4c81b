import Foundation
import GRDB
import LoomContract

/// Reversible masking: personal data becomes stable per-scope tokens, and tokens become the
/// originals again, tolerating a model that changes a token's case or spacing.
struct Masker: Sendable {
    let vault: TokenVault
    /// Detectors from metadata, added to every preset's built-in ones.
    let custom: [PIIDetector.Custom]

    func mask(_ request: MaskRequest) async throws -> MaskResult {
        let detector = PIIDetector(
            preset: request.preset == "strict" ? .strict : .standard, region: request.region, custom: custom)
        let vault = self.vault
        return try await vault.store.write { db in
            var detections: [String: Int] = [:]
            let texts = try request.texts.enumerated().map { index, text -> String in
                // A value the schema marks sensitive is masked whole, whatever it contains.
                if let kind = request.wholeValueKinds?[safe: index] ?? nil, !text.isEmpty {
                    detections[kind.lowercased(), default: 0] += 1
                    return try vault.token(db, scope: request.scope, kind: kind, original: text)
                }
                var output = ""
                var cursor = text.startIndex
                for match in detector.matches(in: text) {
                    output += text[cursor..<match.range.lowerBound]
                    output += try vault.token(db, scope: request.scope, kind: match.kind, original: match.value)
                    detections[match.kind.lowercased(), default: 0] += 1
                    cursor = match.range.upperBound
                }
                return output + text[cursor...]
            }
            if !detections.isEmpty {
                var detail = detections.mapValues(String.init)
                detail["scope"] = request.scope
                detail["preset"] = request.preset
                try AuditLog.append(db, category: "masking", executionId: request.executionId, subject: "mask", detail: detail)
            }
            return MaskResult(texts: texts, detections: detections)
        }
    }

    /// `[EMAIL_1]`, `[ email_1 ]`, `[Email _ 1]` all name the same token.
    private static let tokenPattern = try? NSRegularExpression(pattern: #"\[\s*([A-Za-z][A-Za-z0-9_]*?)\s*_\s*(\d+)\s*\]"#)

    func unmask(_ request: UnmaskRequest) async throws -> UnmaskResult {
        guard let pattern = Self.tokenPattern else { return UnmaskResult(texts: request.texts, unknownTokens: []) }
        let vault = self.vault
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
                    if let original = try vault.original(db, scope: request.scope, token: token) {
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

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
