import Foundation

extension PIIDetector {
    /// Phone numbers as libphonenumber reads them for the detector's region, plus international
    /// ones from anywhere. `standard` takes only numbers valid in their country's plan; `strict`
    /// takes those whose length is possible and bare runs of 10 to 15 digits. Either way, digits
    /// right after a label that names them as something else (`order`, `tracking`, `ts=`) stay,
    /// and international numbers are also read where the matcher does not look (a `00` prefix
    /// that is not the region's own, a slash layout, E.164 digits without their `+`).
    func phoneCandidates(in text: String) -> [Range<String.Index>] {
        var ranges = PhoneNumberFinder.ranges(in: text, region: region, leniency: .valid)
        if preset == .standard { ranges = ranges.filter { !isUnsupportedAlone($0, in: text) } }
        // Layouts a person writes whatever the country, for numbers from outside the region.
        let layouts = Self.ranges(of: Patterns.internationalPhone, in: text)
            + Self.ranges(of: Patterns.nationalPhone, in: text)
        ranges += layouts.filter { Checks.phone(String(text[$0])) }
        ranges += writtenInternationalCandidates(in: text, besides: Set(ranges))
        if preset == .strict {
            ranges += Self.ranges(of: Patterns.bareDigits, in: text).filter { Checks.phone(String(text[$0])) }
        }
        let unlabelled =
            ranges
            .filter { !Self.hasNearby(Patterns.notPhoneLabels, before: $0, in: text, within: 24) }
            .filter { !Self.isGlued($0, in: text) }
        // At one start the longer claim first, so it is the one kept.
        return (unlabelled + e164CarrierCandidates(in: text))
            .sorted { ($0.lowerBound, $1.upperBound) < ($1.lowerBound, $0.upperBound) }
    }

    /// A national number written alone (no letter within 32 characters either side, so no word
    /// says what it is) and without the grouping a person gives a phone number: a run of bare
    /// digits, or groups that are not the country's (`745-2767-976`). Such digits are as likely a
    /// waybill, an ISBN-10 or a SKU as a phone, so `standard` leaves them; a `+` or `00` number,
    /// one with a word nearby, or one grouped the country's way is still taken.
    func isUnsupportedAlone(_ range: Range<String.Index>, in text: String) -> Bool {
        // libphonenumber may take an opening bracket with the number; only what lies between the
        // first and last digits is grouping.
        let candidate = text[range].drop { !$0.isNumber && $0 != "+" }
        guard !candidate.hasPrefix("+"), !candidate.hasPrefix("00"), Self.isAlone(range, in: text) else {
            return false
        }
        let inner = candidate.reversed().drop { !$0.isNumber }
        guard inner.contains(where: { !$0.isNumber }) else { return true }
        return !PhoneNumberFinder.ranges(in: text, region: region, leniency: .strictGrouping).contains(range)
    }

    /// Whether no letter is within `within` characters of `range` on either side: the value
    /// stands alone, between digits, spaces, punctuation, brackets or quotes at most.
    static func isAlone(_ range: Range<String.Index>, in text: String, within: Int = 32) -> Bool {
        let start = text.index(range.lowerBound, offsetBy: -within, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: within, limitedBy: text.endIndex) ?? text.endIndex
        return !text[start..<range.lowerBound].contains(where: \.isLetter)
            && !text[range.upperBound..<end].contains(where: \.isLetter)
    }

    /// Whether the digits continue a token on either side (an ID, a decimal, a dashed code).
    static func isGlued(_ range: Range<String.Index>, in text: String) -> Bool {
        let before = text.index(range.lowerBound, offsetBy: -2, limitedBy: text.startIndex) ?? text.startIndex
        let after = text.index(range.upperBound, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
        return matches(Patterns.gluedBefore, String(text[before..<range.lowerBound]))
            || matches(Patterns.gluedAfter, String(text[range.upperBound..<after]))
    }

    static func matches(_ pattern: NSRegularExpression?, _ text: String) -> Bool {
        guard let pattern else { return false }
        return pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
