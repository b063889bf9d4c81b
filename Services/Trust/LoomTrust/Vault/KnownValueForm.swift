/// How a value the vault already holds is compared with new text: which characters of it
/// count, and which are only layout. `280-60-3269`, `280 60 3269` and `280603269` are one value
/// in the digit form; `Ana Lima` and `ANA-LIMA` one in the alphanumeric form.
enum KnownValueForm: Sendable, Hashable, CaseIterable {
    /// Only the digits count (cards, phones, SSNs, routing numbers, numeric ids).
    case digits
    /// Letters and digits count, case-folded (IBANs, names, references with letters).
    case alphanumeric
    /// Every character counts, case-folded: in e-mail and IP addresses the dots and colons are
    /// structure, and `10.0.0.1` must not become every `10001` in a text.
    case exact

    /// Shorter values are not matched by themselves: three digits or letters occur everywhere,
    /// and masking every `2024` or `Ana` in later text would hide more than it protects.
    static let minimumLength = 4
    /// Longer values (a whole sensitive note) are not matched either: a text repeating four
    /// thousand characters of one verbatim is rare, and the scan stays bounded.
    static let maximumLength = 4096
    /// Layout between two counted characters: at most this many in a row (`) ` in `(415) 555`).
    static let maximumGap = 3

    /// The form of a value of `kind`.
    static func of(kind: String, original: String) -> KnownValueForm {
        switch kind.uppercased() {
        case "EMAIL", "IPV4", "IPV6": return .exact
        default:
            if original.contains("@") { return .exact }
            return original.unicodeScalars.allSatisfy { isDigit($0) || isLayout($0) } ? .digits : .alphanumeric
        }
    }

    /// The value as the form compares it, or nil when it is too short or too long to match.
    func key(of original: String) -> String? {
        var key = String.UnicodeScalarView()
        var count = 0
        for scalar in original.unicodeScalars {
            switch self {
            case .digits:
                guard let digit = Self.digit(scalar) else { continue }
                key.append(digit)
            case .alphanumeric:
                guard Self.isAlphanumeric(scalar) else { continue }
                key.append(Self.digit(scalar) ?? Self.fold(scalar))
            case .exact:
                key.append(Self.fold(scalar))
            }
            count += 1
            if count > Self.maximumLength { return nil }
        }
        return count >= Self.minimumLength ? String(key) : nil
    }

    // MARK: - Characters

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }

    /// A decimal digit of any script as its ASCII digit (a full-width `４` is a `4`).
    static func digit(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if ("0"..."9").contains(scalar) { return scalar }
        guard isDigit(scalar), let value = scalar.properties.numericValue, value >= 0, value <= 9 else { return nil }
        return Unicode.Scalar(UInt8(48 + Int(value)))
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || isDigit(scalar) }

    /// Spaces, dots, hyphens and dashes, slashes, parentheses and plus signs: how people and
    /// programs lay out the same number or reference.
    static func isLayout(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "-", ".", "(", ")", "/", "+", "\u{2010}"..."\u{2015}": true
        default: scalar.properties.isWhitespace
        }
    }

    /// Lower case, one character for one, so positions in the text and in the key stay aligned.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            return ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
        }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first ?? scalar : scalar
    }
}

/// What the scan needs to know of one character of a text, worked out once per text (and
/// without Unicode property lookups for ASCII, which most text is).
struct ScannedScalar {
    var scalar: Unicode.Scalar
    var isDigit: Bool
    var isAlphanumeric: Bool
    var isLayout: Bool
    var isWhitespace: Bool
    /// A digit as its ASCII digit, a letter in lower case, anything else as it is.
    var folded: Unicode.Scalar

    init(_ scalar: Unicode.Scalar) {
        self.scalar = scalar
        if scalar.isASCII {
            let value = scalar.value
            isDigit = (48...57).contains(value)
            let upper = (65...90).contains(value)
            isAlphanumeric = isDigit || upper || (97...122).contains(value)
            isWhitespace = value == 32 || (9...13).contains(value)
            isLayout = isWhitespace || "-.()/+".unicodeScalars.contains(scalar)
            folded = upper ? Unicode.Scalar(UInt8(value + 32)) : scalar
        } else {
            isDigit = KnownValueForm.isDigit(scalar)
            isAlphanumeric = KnownValueForm.isAlphanumeric(scalar)
            isLayout = KnownValueForm.isLayout(scalar)
            isWhitespace = scalar.properties.isWhitespace
            folded = KnownValueForm.digit(scalar) ?? KnownValueForm.fold(scalar)
        }
    }
}

extension KnownValueForm {
    func counts(_ scanned: ScannedScalar) -> Bool {
        self == .digits ? scanned.isDigit : scanned.isAlphanumeric
    }

    /// The compared form of a character: digits as ASCII digits, letters case-folded; in the
    /// exact form a digit of another script stays itself, as ``key(of:)`` keeps it.
    func normalized(_ scanned: ScannedScalar) -> Unicode.Scalar {
        self == .exact && scanned.isDigit && !scanned.scalar.isASCII ? scanned.scalar : scanned.folded
    }
}
