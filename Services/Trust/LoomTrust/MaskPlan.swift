import Foundation

/// What one mask call replaces, decided before the vault is written: the values the detectors
/// find, the values masked whole, and every value the scope already holds wherever it appears,
/// whatever a detector makes of it there. Pure: the vault only mints tokens for ``newValues``.
struct MaskPlan {
    /// One replacement in a text, in Unicode scalar offsets.
    struct Claim {
        var range: Range<Int>
        var value: KnownValueIndex.Entry
        /// Found as a held value rather than by a detector or a schema.
        var known: Bool
    }

    private(set) var texts: [[Unicode.Scalar]] = []
    private(set) var claims: [[Claim]] = []

    /// - Parameters:
    ///   - wholeValueKinds: parallel to `texts`, a kind for a text masked whole.
    ///   - index: the scope's held values; values first found here are added to it, so a later
    ///     layout of one in the same call gets its token too.
    init(texts: [String], wholeValueKinds: [String?]?, detector: PIIDetector, index: KnownValueIndex) {
        var index = index
        for (position, text) in texts.enumerated() {
            let scalars = Array(text.unicodeScalars)
            self.texts.append(scalars)
            if let kind = wholeValueKinds?[safe: position] ?? nil, !text.isEmpty {
                let value = index.entry(kind: kind, original: text) ?? .init(kind: kind, original: text, token: nil)
                index.add(value)
                claims.append([Claim(range: 0..<scalars.count, value: value, known: false)])
                continue
            }
            claims.append(detector.matches(in: text).map { match in
                // A new layout of a held value is that value: one token, not a second one.
                let value = index.entry(kind: match.kind, original: match.value)
                    ?? .init(kind: match.kind, original: match.value, token: nil)
                index.add(value)
                return Claim(range: Self.offsets(of: match.range, in: text), value: value, known: false)
            })
        }
        let scanned = self.texts.indices.filter { position in
            wholeValueKinds?[safe: position].flatMap { $0 } == nil || texts[position].isEmpty
        }
        for position in scanned {
            let excluded = claims[position].map(\.range) + Self.tokens(in: texts[position])
            let known = index.matches(in: self.texts[position], excluding: excluded)
            claims[position] = (claims[position] + known.map { Claim(range: $0.range, value: $0.entry, known: true) })
                .sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
    }

    /// The values to replace that have no token yet, each once.
    var newValues: [KnownValueIndex.Entry] {
        var seen: Set<KnownValueIndex.Entry> = []
        return claims.joined().map(\.value).filter { $0.token == nil && seen.insert($0).inserted }
    }

    var isEmpty: Bool { claims.allSatisfy(\.isEmpty) }

    /// Replacements per kind (lower case), and how many were found as held values.
    var detections: (byKind: [String: Int], known: Int) {
        var byKind: [String: Int] = [:]
        var known = 0
        for claim in claims.joined() {
            byKind[claim.value.kind.lowercased(), default: 0] += 1
            if claim.known { known += 1 }
        }
        return (byKind, known)
    }

    /// The texts with every claim replaced by its token; `minted` holds the tokens of ``newValues``.
    func render(minted: [KnownValueIndex.Entry: String]) throws -> [String] {
        try zip(texts, claims).map { scalars, claims in
            var output = String.UnicodeScalarView()
            var cursor = 0
            for claim in claims {
                guard let token = claim.value.token ?? minted[claim.value] else {
                    throw PlanError(description: "no token for a \(claim.value.kind) value")
                }
                output.append(contentsOf: scalars[cursor..<claim.range.lowerBound])
                output.append(contentsOf: token.unicodeScalars)
                cursor = claim.range.upperBound
            }
            output.append(contentsOf: scalars[cursor...])
            return String(output)
        }
    }

    struct PlanError: Error, CustomStringConvertible {
        var description: String
    }

    static func offsets(of range: Range<String.Index>, in text: String) -> Range<Int> {
        let scalars = text.unicodeScalars
        let lower = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
        return lower..<(lower + scalars.distance(from: range.lowerBound, to: range.upperBound))
    }

    /// Tokens already in the text (`[EMAIL_1]`): a held value is never matched inside one.
    static func tokens(in text: String) -> [Range<Int>] {
        guard let pattern = tokenPattern else { return [] }
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { offsets(of: $0, in: text) }
        }
    }

    private static let tokenPattern = try? NSRegularExpression(pattern: #"\[[A-Za-z][A-Za-z0-9_]*_\d+\]"#)
}
