import Foundation

extension PIIDetector {
    /// International numbers libphonenumber's matcher passes over: `00` numbers on a desk whose
    /// own international prefix is something else (`0030 6985117592` in the US, where it is 011),
    /// and layouts it refuses (`+36/30/8798779`). Each is kept only when libphonenumber parses
    /// it, `00` read as `+`, as a valid number of its country; one already in `found` (most `+`
    /// numbers, which the matcher reads itself) is not parsed again.
    func writtenInternationalCandidates(in text: String, besides found: Set<Range<String.Index>>)
        -> [Range<String.Index>]
    {
        Self.ranges(of: Patterns.internationalWritten, in: text).filter { range in
            !found.contains(range) && Self.isValidInternational(text[range])
        }
    }

    /// Digits that the text itself marks as an international number without its `+`: a
    /// WhatsApp link, an `msisdn` or `e164` field, a URL-encoded `%2B`. Each is read as `+` and its
    /// digits and kept only when libphonenumber calls that number valid, so another number in
    /// the same place (a national one, an order id) stays. The carrier is the label, so the
    /// checks for labels and glued tokens do not apply (`wa.me/` ends in a slash).
    func e164CarrierCandidates(in text: String) -> [Range<String.Index>] {
        // Every carrier holds one of these words and most texts hold none; looking for them
        // costs less than half of running the pattern.
        let lowered = text.lowercased()
        guard let pattern = Patterns.e164Carriers, Patterns.e164CarrierWords.contains(where: lowered.contains)
        else { return [] }
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let group = match.range(at: 1).location != NSNotFound ? 1 : 2
            guard let range = Range(match.range(at: group), in: text) else { return nil }
            let digits = text[range].filter(\.isASCII).filter(\.isNumber)
            // `%2B` is a plus, not the digits 2 and a B.
            let number = group == 2 ? String(digits.dropFirst()) : String(digits)
            return Self.isValidInternational("+" + number) ? range : nil
        }
    }

    /// Whether `written` (`+` or `00`, then the number) parses as a valid number of its country,
    /// its brackets balanced and its digits no more than E.164 allows.
    static func isValidInternational(_ written: some StringProtocol) -> Bool {
        var number = String(written.drop(while: \.isWhitespace))
        if number.hasPrefix("00") { number = "+" + number.dropFirst(2).drop { $0 == " " } }
        let opened = number.filter { $0 == "(" }.count, closed = number.filter { $0 == ")" }.count
        guard number.hasPrefix("+"), opened == closed, opened <= 1,
            (7...15).contains(number.filter(\.isNumber).count)
        else { return false }
        return PhoneNumberFinder.parts(of: number, region: defaultRegion)?.isValid == true
    }
}
