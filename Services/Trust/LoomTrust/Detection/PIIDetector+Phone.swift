import Foundation

extension PIIDetector {
    /// Phone numbers as libphonenumber reads them for the detector's region, plus international
    /// ones from anywhere. `standard` takes only numbers valid in their country's plan; `strict`
    /// takes those whose length is possible and bare runs of 10 to 15 digits. Either way, digits
    /// right after a label that names them as something else (`order`, `tracking`, `ts=`) stay.
    func phoneCandidates(in text: String) -> [Range<String.Index>] {
        var ranges = PhoneNumberFinder.ranges(in: text, region: region, leniency: .valid)
        // Layouts a person writes whatever the country, for numbers from outside the region.
        let layouts = Self.ranges(of: Patterns.internationalPhone, in: text)
            + Self.ranges(of: Patterns.nationalPhone, in: text)
        ranges += layouts.filter { Checks.phone(String(text[$0])) }
        if preset == .strict {
            ranges += Self.ranges(of: Patterns.bareDigits, in: text).filter { Checks.phone(String(text[$0])) }
        }
        return
            ranges
            .filter { !Self.hasNearby(Patterns.notPhoneLabels, before: $0, in: text, within: 24) }
            .filter { !Self.isGlued($0, in: text) }
            // At one start the longer claim first, so it is the one kept.
            .sorted { ($0.lowerBound, $1.upperBound) < ($1.lowerBound, $0.upperBound) }
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
