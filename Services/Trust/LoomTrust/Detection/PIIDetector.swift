import Foundation

/// Finds personal data in text.
///
/// Each detector pairs a pattern with a check the pattern alone cannot make — the Luhn digit
/// of a card, the mod-97 of an IBAN, the ranges of an SSN, the checksum of a routing number,
/// the parse of an IP address, libphonenumber's numbering plans for phones — so that order
/// numbers, dates and version strings that merely look alike stay as they are. `standard`
/// keeps precision high: routing numbers and SSNs written without dashes need a word like
/// "routing" or "SSN" nearby or heading their table column, and phone numbers must be valid for
/// their country; digits written alone, with no word near them, are taken only when their own
/// shape says what they are (a phone's grouping, an address's three-digit group). `strict` also
/// takes the looser forms (any checksum-valid routing number, phone numbers whose length fits
/// the plan), trading precision for recall.
struct PIIDetector: Sendable {
    enum Preset: String, Sendable { case standard, strict }

    struct Match: Equatable {
        /// The token kind: `EMAIL`, `PHONE`, `CARD`, `SSN`, `IBAN`, `ABA`, `IPV4`, `IPV6`, or a custom name.
        var kind: String
        var range: Range<String.Index>
        var value: String
    }

    /// A detector from metadata: a name (the token kind) and a regular expression.
    struct Custom: Sendable {
        var kind: String
        var pattern: NSRegularExpression
    }

    /// Where national phone numbers are read without a country code when none is given.
    static let defaultRegion = "US"

    let preset: Preset
    /// ISO 3166 alpha-2: national phone numbers are read in this country's plan; international
    /// ones (`+`, or the region's own international prefix) from any country.
    let region: String
    let custom: [Custom]

    init(preset: Preset = .standard, region: String? = nil, custom: [Custom] = []) {
        self.preset = preset
        self.region = Self.normalizedRegion(region)
        self.custom = custom
    }

    /// Two ASCII letters, upper-cased; anything else is the default region.
    static func normalizedRegion(_ region: String?) -> String {
        guard let region, region.count == 2, region.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return defaultRegion
        }
        return region.uppercased()
    }

    /// Matches, left to right and non-overlapping. Where two detectors claim the same text,
    /// the one earlier in ``order`` wins (an IBAN's digits are not also a card).
    func matches(in text: String) -> [Match] {
        var found: [Match] = []
        let claims = custom.flatMap { detector in
            Self.ranges(of: detector.pattern, in: text).map { (detector.kind, $0) }
        }
            + Self.order.flatMap { kind in candidates(kind, in: text).map { (kind.rawValue, $0) } }
        for (kind, range) in claims where !found.contains(where: { $0.range.overlaps(range) }) {
            found.append(Match(kind: kind, range: range, value: String(text[range])))
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    enum Kind: String, CaseIterable, Sendable {
        case email = "EMAIL", iban = "IBAN", card = "CARD", ssn = "SSN", aba = "ABA"
        case ipv6 = "IPV6", ipv4 = "IPV4", phone = "PHONE"
    }

    static let order = Kind.allCases

    func candidates(_ kind: Kind, in text: String) -> [Range<String.Index>] {
        switch kind {
        case .email: return Self.ranges(of: Patterns.email, in: text)
        case .iban: return Self.ranges(of: Patterns.iban, in: text).filter { Checks.iban(String(text[$0])) }
        case .card: return Self.ranges(of: Patterns.card, in: text).filter { Checks.card(String(text[$0])) }
        case .ssn:
            // Dashes are how an SSN is written; other separators, or none, need the word nearby.
            var tables: TableColumns?
            let dashed = Self.ranges(of: Patterns.ssn, in: text)
            let other = Self.ranges(of: Patterns.ssnUndashed, in: text).filter {
                Checks.ssn(String(text[$0])) && Self.isNamed($0, by: Patterns.ssnWords, in: text, tables: &tables)
            }
            return dashed.filter { Checks.ssn(String(text[$0])) } + other
        case .aba:
            var tables: TableColumns?
            return Self.ranges(of: Patterns.aba, in: text).filter { range in
                Checks.aba(String(text[range]))
                    && (preset == .strict || Self.isNamed(range, by: Patterns.routingWords, in: text, tables: &tables))
            }
        case .ipv6: return Self.ranges(of: Patterns.ipv6, in: text).filter { Checks.ipv6(String(text[$0])) }
        case .ipv4:
            return Self.ranges(of: Patterns.ipv4, in: text).filter { range in
                Checks.ipv4(String(text[range]))
                    && !Self.hasNearby(Patterns.versionWords, before: range, in: text, within: 12)
                    && !(preset == .standard && Self.isVersionAlone(range, in: text))
            }
        case .phone: return phoneCandidates(in: text)
        }
    }

    /// Four dotted groups of one or two digits (`7.8.3.0`, `1.0.7.74`) written alone: a version
    /// as often as an address, and with no word near them nothing says which. An address with
    /// a three-digit group (most public ones) or a word nearby is still taken.
    static func isVersionAlone(_ range: Range<String.Index>, in text: String) -> Bool {
        text[range].split(separator: ".").allSatisfy { $0.count <= 2 } && isAlone(range, in: text)
    }

    static func ranges(of pattern: NSRegularExpression?, in text: String) -> [Range<String.Index>] {
        guard let pattern else { return [] }
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text)
        }
    }

    /// Whether `words` name the value at `range`: within 32 characters before it, or as the
    /// header of its column when it is a whole cell of a table (``TableColumns``, read at most
    /// once per text and only when a value needs it).
    static func isNamed(
        _ range: Range<String.Index>, by words: NSRegularExpression?, in text: String, tables: inout TableColumns?
    ) -> Bool {
        if hasNearby(words, before: range, in: text) { return true }
        let columns = tables ?? TableColumns(text)
        tables = columns
        return columns.header(ofCell: range).map { matches(words, String($0)) } ?? false
    }

    /// Whether `words` matches in the `within` characters before `range`.
    static func hasNearby(
        _ words: NSRegularExpression?, before range: Range<String.Index>, in text: String, within: Int = 32
    ) -> Bool {
        guard let words else { return false }
        let start = text.index(range.lowerBound, offsetBy: -within, limitedBy: text.startIndex) ?? text.startIndex
        let window = String(text[start..<range.lowerBound])
        return words.firstMatch(in: window, range: NSRange(window.startIndex..., in: window)) != nil
    }
}
