import Foundation

/// Finds personal data in text. This issue's detectors: e-mail addresses and phone numbers.
struct PIIDetector: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case email = "EMAIL"
        case phone = "PHONE"
    }

    struct Match: Equatable {
        var kind: Kind
        var range: Range<String.Index>
        var value: String
    }

    // Patterns are literals known to compile; a failure here is a programming error caught by tests.
    private static let email = try? NSRegularExpression(
        pattern: #"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"#)
    private static let phone = try? NSRegularExpression(
        pattern: #"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,16}\d(?![\w])"#)

    /// Matches, left to right and non-overlapping (e-mail wins over phone where both match).
    func matches(in text: String) -> [Match] {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [Match] = []
        for (kind, pattern) in [(Kind.email, Self.email), (.phone, Self.phone)] {
            guard let pattern else { continue }
            for result in pattern.matches(in: text, range: whole) {
                guard let range = Range(result.range, in: text) else { continue }
                let value = String(text[range])
                if kind == .phone && !Self.isPlausiblePhone(value) { continue }
                if found.contains(where: { $0.range.overlaps(range) }) { continue }
                found.append(Match(kind: kind, range: range, value: value))
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// 8 to 15 digits (E.164 allows at most 15), and not something that reads like a date.
    static func isPlausiblePhone(_ value: String) -> Bool {
        let digits = value.filter(\.isNumber).count
        guard (8...15).contains(digits) else { return false }
        let isDateLike = value.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
        return !isDateLike
    }
}
