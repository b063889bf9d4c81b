import Foundation
import GRDB
import LoomContract

/// Reversible masking: personal data becomes stable per-scope tokens, and tokens become the
/// originals again, tolerating a model that changes a token's case or spacing.
///
/// Every value the scope already holds is replaced by its token wherever it appears in a text
/// to mask, in any case, spacing or separators, whether or not a detector would find it there
/// (see ``KnownValueIndex``). Callers need not remember which texts might repeat a value: a
/// tool's echo, a context block, a summary and a child agent's input all pass through here.
struct Masker: Sendable {
    let vault: TokenVault
    /// Detectors from metadata, added to every preset's built-in ones.
    let custom: [PIIDetector.Custom]
    /// The opened values of recent scopes, shared by every copy of this masker.
    let known = KnownValueCache()

    func mask(_ request: MaskRequest) async throws -> MaskResult {
        let prepared = try await prepare(request)
        if let audit = prepared.audit { try await vault.store.write { db in try audit(db) } }
        return prepared.result
    }

    /// A mask result and the audit entry it still needs, if any. New tokens are minted (with
    /// their audit entry) in a write of their own; when every token already exists, the entry is
    /// left to the caller, which commits it with the stored reply in one transaction, and when
    /// nothing was masked there is nothing to write at all.
    func prepare(
        _ request: MaskRequest
    ) async throws -> (result: MaskResult, audit: (@Sendable (Database) throws -> Void)?, masked: Bool) {
        let detector = PIIDetector(
            preset: request.preset == "strict" ? .strict : .standard, region: request.region, custom: custom)
        let vault = self.vault, known = self.known
        let index = try await vault.store.read { db in
            try known.index(db, vault: vault, scope: request.scope, region: detector.region)
        }
        let plan = MaskPlan(
            texts: request.texts, wholeValueKinds: request.wholeValueKinds, detector: detector, index: index)
        // Nothing to replace: no token to mint and nothing for the audit log, so no write at all.
        guard !plan.isEmpty else { return (MaskResult(texts: request.texts, detections: [:]), nil, false) }
        let (detections, knownCount) = plan.detections
        var detail = detections.mapValues(String.init)
        detail["scope"] = request.scope
        detail["preset"] = request.preset
        if knownCount > 0 { detail["knownValues"] = "\(knownCount)" }
        let audit: @Sendable (Database) throws -> Void = { [detail] db in
            try AuditLog.append(
                db, category: "masking", executionId: request.executionId, subject: "mask", detail: detail)
        }
        let newValues = plan.newValues
        guard !newValues.isEmpty else {
            return (MaskResult(texts: try plan.render(minted: [:]), detections: detections), audit, true)
        }
        let minted = try await vault.store.write { db in
            var minted: [KnownValueIndex.Entry: String] = [:]
            for value in newValues {
                minted[value] = try vault.token(db, scope: request.scope, kind: value.kind, original: value.original)
            }
            try audit(db)
            return minted
        }
        return (MaskResult(texts: try plan.render(minted: minted), detections: detections), nil, true)
    }

    /// `[EMAIL_1]`, `[ email_1 ]`, `[Email _ 1]` all name the same token.
    static let tokenPattern = try? NSRegularExpression(pattern: #"\[\s*([A-Za-z][A-Za-z0-9_]*?)\s*_\s*(\d+)\s*\]"#)

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
