import CPhoneNumbers

/// Phone numbers found by libphonenumber's `PhoneNumberMatcher`, the parser most production
/// PII tools rely on: it knows each country's numbering plan, so `(11) 98765-4321` in Brazil
/// and `01.42.68.53.00` in France are numbers while an order number of the same length is not.
enum PhoneNumberFinder {
    enum Leniency: Sendable {
        /// The length fits the country's plan.
        case possible
        /// The digits are in a range the country assigns.
        case valid
        /// Valid, and grouped the way the country writes it.
        case strictGrouping

        var native: loom_phone_leniency {
            switch self {
            case .possible: LOOM_PHONE_POSSIBLE
            case .valid: LOOM_PHONE_VALID
            case .strictGrouping: LOOM_PHONE_STRICT_GROUPING
            }
        }
    }

    /// National numbers of `region` (ISO 3166 alpha-2) and international ones from anywhere.
    static func ranges(in text: String, region: String, leniency: Leniency) -> [Range<String.Index>] {
        var text = text
        let spans: [Range<Int>] = text.withUTF8 { bytes in
            var found: UnsafeMutablePointer<loom_phone_span>?
            var count = 0
            let status = bytes.withMemoryRebound(to: CChar.self) { chars in
                loom_phone_find(chars.baseAddress, chars.count, region, leniency.native, &found, &count)
            }
            defer { loom_phone_free(found) }
            guard status == 0, let found else { return [] }
            return UnsafeBufferPointer(start: found, count: count).compactMap { span in
                span.start <= span.end ? Int(span.start)..<Int(span.end) : nil
            }
        }
        return spans.compactMap { range(utf8: $0, in: text) }
    }

    /// The characters covering UTF-8 offsets, or nil when an offset is outside the text or not
    /// on a character boundary (a combining mark after a digit): no offset can trap.
    static func range(utf8 offsets: Range<Int>, in text: String) -> Range<String.Index>? {
        let utf8 = text.utf8
        guard offsets.lowerBound >= 0, offsets.upperBound <= utf8.count,
            let lower = utf8.index(utf8.startIndex, offsetBy: offsets.lowerBound, limitedBy: utf8.endIndex),
            let upper = utf8.index(lower, offsetBy: offsets.count, limitedBy: utf8.endIndex),
            let start = String.Index(lower, within: text), let end = String.Index(upper, within: text)
        else { return nil }
        return start..<end
    }
}
