import Foundation

/// The detectors' patterns (a unit test checks that each compiles); `(?<![\w…])` and `(?![\w…])`
/// keep a match from starting or ending inside a longer token, and `\.\d` in a lookahead lets a
/// full stop that ends a sentence follow a value while a decimal point may not.
enum Patterns {
    /// `%` is in the lookbehind too: every character the local part may hold must be, or each
    /// position of a long run of it starts a scan to the run's end (quadratic in the run).
    /// A name ending in an image or document extension is a file (`avatar@2x.png`), not an address.
    static let email = compile(
        #"(?<![\w.%+-])[A-Za-z0-9._%+-]+@"# + #"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"#
            + #"(?<!\.(?i:png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?|heic|pdf|js|css|mp4|mov))"#)
    /// Two letters, two check digits, then 10 to 30 letters and digits, optionally in groups of four.
    static let iban = compile(#"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?![\w])"#)
    /// 13 to 19 digits, optionally grouped by single spaces or dashes.
    /// Not the first 16 digits of a longer grouped number (a parcel's tracking number).
    static let card = compile(#"(?<![\w-])(?<!\d[ -])\d(?:[ -]?\d){12,18}(?![\w-]|[ -]\d)"#)
    static let ssn = compile(#"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"#)
    /// `078 05 1120`, `078.05.1120`, `078051120`: taken only with ``ssnWords`` nearby. A full
    /// stop after it ends the sentence; one followed by a digit continues a longer number.
    static let ssnUndashed = compile(#"(?<![\w.-])\d{3}([ .]?)\d{2}\1\d{4}(?![\w-]|\.\d)"#)
    static let ssnWords = compile(#"(?i)(?:\bssn|\bss\s?#|social\s+security|\bsoc\.?\s*sec\b)"#)
    /// Nine digits, or grouped 3-3-3 or 4-4-1 by one repeated space, dot or dash.
    static let aba = compile(#"(?<![\w.-])(?:\d{9}|\d{3}([ .-])\d{3}\1\d{3}|\d{4}([ .-])\d{4}\2\d)(?![\w-]|\.\d)"#)
    /// Between letters only, so `routing_number` in JSON counts.
    static let routingWords = compile(#"(?i)(?<![A-Za-z])(?:routing|aba|rtn|transit)(?![A-Za-z])"#)
    static let ipv4 = compile(#"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]*\d)"#)
    /// A label right before a dotted quad that makes it a version: `v 1.2.3.4`, `build=10.0.1.7`.
    static let versionWords = compile(#"(?i)(?:\bv|\bver|version|release|build)(?:\s+is)?[\s=:#]*$"#)
    /// Hex groups with colons, the last 32 bits perhaps as a dotted quad (`::ffff:192.0.2.1`),
    /// then perhaps a zone (`%eth0`); the parse decides. The dotted quad is tried first, so an
    /// IPv4-mapped address is taken whole rather than up to its first dot.
    static let ipv6 = compile(
        #"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?"#
            + #"(?:%[0-9A-Za-z_.-]*[0-9A-Za-z])?(?![\w:]|\.\d)"#)
    /// `+` and a country code, then digits in groups.
    static let internationalPhone = compile(#"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w])"#)
    /// National layouts: `(415) 555-2671`, `415-555-2671`, `415 555 2671`, `1-800-555-0199`,
    /// `020 7946 0958`, `030 901820`, `07911 123456`;
    /// not a slice of a longer run of digit groups (an account number, a broken IBAN).
    static let nationalPhone = compile(
        #"(?<![\w+.-])(?<!\d )(?:\(\d{2,5}\)[ .-]?\d{3,4}[ .-]?\d{3,4}|(?:1[ .-])?\d{3}([ .-])\d{3}\1\d{4}"#
            + #"|0\d{1,4} \d{3,4}(?: \d{3,4})?|0\d{2,4} \d{6,8})(?![\w-]|\.\d)(?! \d)"#)
    static let bareDigits = compile(#"(?<![\w+.-])\d{10,15}(?![\w-]|\.\d)"#)
    /// `+` or `00` (the international prefix almost everywhere), a country code, then digits in
    /// groups split by up to three spaces, dots, dashes or slashes, a group perhaps bracketed:
    /// `+36/30/8798779`, `0030 6985117592`, `00 44 (0)20 7946 0958`. libphonenumber's matcher
    /// refuses some of these layouts (more than one slash) and reads `00` only where it is the
    /// region's own prefix; the whole is kept only when libphonenumber parses it as valid.
    static let internationalWritten = compile(
        #"(?<![\w+./-])(?:\+|(?<!\d[ ])00[ ]?)[1-9](?:[ ./()-]{0,3}\d){6,14}(?![\w]|[./-]\d)"#)
    /// Where E.164 digits are written without their `+`, the text itself saying they are
    /// international: WhatsApp's click-to-chat links (`wa.me/447900809064`, `wa.me/c/…` for a
    /// catalogue, `api.whatsapp.com/send?phone=…`, `whatsapp://send?phone=…`), fields that name the
    /// form (`msisdn=`, `"msisdn": "…"`, `<msisdn>`, `dest_msisdn`, `e164`, `phone_e164`, `E.164:`)
    /// and a URL-encoded plus (`From=%2B14155552671`). The first group is the number as written.
    static let e164Carriers = compile(
        #"(?:(?<![\w.-])wa\.me/(?:c/)?|(?<![\w-])(?:(?:api|web|www)\.)?whatsapp\.com/send/?\?(?:[^\s#"'<>]*&)?phone="#
            + #"|whatsapp://send/?\?(?:[^\s#"'<>]*&)?phone="#
            + #"|(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[_-]|[a-z]+(?=[ME]))*(?i:msisdn|e\.?164)(?:[_-][A-Za-z0-9]+)*"#
            + #"["']?(?:\s*[:=>]\s*|\s+)["']?)(\d{7,15})(?![\w-]|\.\d)|(?<![\w%])((?i:%2B)\d{7,15})(?![\w-]|\.\d)"#)
    /// One of these, in lower case, is in every match of ``e164Carriers``.
    static let e164CarrierWords = ["wa.me/", "whatsapp", "msisdn", "e164", "e.164", "%2b"]
    /// A label right before digits that names them as something else: an order, a parcel, a
    /// product, a timestamp, a bank routing number (one failing its checksum is still not a
    /// phone). Written after a letter-free boundary so `purchase_order=` counts.
    static let notPhoneLabels = compile(
        #"(?i)(?<![A-Za-z])(?:order|po|purchase[ _]order|invoice|inv|tracking|waybill|awb|sku|ean|upc|gtin"#
            + #"|isbn(?:-1[03])?|asin|ts|timestamp|epoch|ticket|case|ref|reference|item|batch|serial|sn|build|version"#
            + #"|barcode|routing|aba|rtn)"#
            + #"(?:[ _]?(?:no\.?|nr\.?|number|num|id))?(?:\s+(?:is|was))?[\s#:=\"'_]*$"#)
    /// Digits glued to a longer token: `PO-2024-852515`, `1660599411.882`, `12,345`.
    static let gluedBefore = compile(#"[A-Za-z0-9][-/_]$"#)
    static let gluedAfter = compile(#"^(?:[-/_][A-Za-z0-9]|[.,]\d)"#)

    /// The literals above are tested; one that failed to compile would match nothing.
    static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern)
    }
}

/// The checks a pattern cannot make.
enum Checks {
    static func digits(_ text: String) -> [Int] { text.compactMap(\.wholeNumberValue) }

    /// The lengths the card networks issue, by first digit (ISO/IEC 7812's industry identifier):
    /// 2 is Mastercard's 2-series (16) and Mir (16–19); 3 is American Express (15), Diners Club
    /// (14–19) and JCB (16–19); 4, 5 and 6 (Visa, Mastercard, Maestro, Discover, UnionPay) run from
    /// 13 to 19. No network issues other first digits, so an ISBN (978…) or a millisecond
    /// timestamp (1…) is not a card, and neither is a 13-digit airline ticket number (`220-…`).
    static let cardLengths: [Int: ClosedRange<Int>] = [2: 16...19, 3: 14...19, 4: 13...19, 5: 13...19, 6: 13...19]

    /// Luhn's check digit, on a length a card network issues for the number's first digit.
    static func card(_ text: String) -> Bool {
        let digits = digits(text)
        guard let first = digits.first, cardLengths[first]?.contains(digits.count) == true else { return false }
        let sum = digits.reversed().enumerated().reduce(0) { sum, item in
            let doubled = item.offset % 2 == 1 ? item.element * 2 : item.element
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
        return sum % 10 == 0
    }

    /// Area 001–899 except 666, group 01–99, serial 0001–9999, whatever the separators.
    static func ssn(_ text: String) -> Bool {
        let digits = digits(text)
        guard digits.count == 9 else { return false }
        let area = digits[0] * 100 + digits[1] * 10 + digits[2]
        let group = digits[3] * 10 + digits[4]
        let serial = digits[5...].reduce(0) { $0 * 10 + $1 }
        return (1...899).contains(area) && area != 666 && group != 0 && serial != 0
    }

    /// ISO 13616: a country that issues IBANs, at the length it registers (``IBANRegistry``); the
    /// country letters and check digits moved to the end, letters as 10–35, the number mod 97 is 1.
    static func iban(_ text: String) -> Bool {
        let compact = text.filter { !$0.isWhitespace }.uppercased()
        guard IBANRegistry.isRegistered(compact) else { return false }
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            let letter = character.isLetter ? Int(character.asciiValue ?? 0) - 55 : nil
            guard let value = character.wholeNumberValue ?? letter,
                value >= 0, value < 36
            else { return false }
            for digit in value >= 10 ? [value / 10, value % 10] : [value] { remainder = (remainder * 10 + digit) % 97 }
        }
        return remainder == 1
    }

    /// ABA: a Federal Reserve prefix (00–12, 21–32, 61–72, 80) and 3-7-1 weights summing to a multiple of 10.
    static func aba(_ text: String) -> Bool {
        let digits = digits(text)
        guard digits.count == 9 else { return false }
        let prefix = digits[0] * 10 + digits[1]
        let federalReserve = (0...12).contains(prefix) || (21...32).contains(prefix) || (61...72).contains(prefix)
        guard federalReserve || prefix == 80 else { return false }
        let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1]
        return zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 10 == 0
    }

    static func ipv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard let value = Int(part), part.count <= 3, value <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    /// The zone is not part of the address; a bare `::` names no host and stays as text.
    static func ipv6(_ text: String) -> Bool {
        let address = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first
            .map(String.init) ?? text
        guard address.contains(where: \.isHexDigit) else { return false }
        let colons = address.filter { $0 == ":" }.count
        guard address.contains("::") || colons == (address.contains(".") ? 6 : 7) else { return false }
        var parsed = in6_addr()
        return inet_pton(AF_INET6, address, &parsed) == 1
    }

    /// 8 to 15 digits (E.164 allows at most 15).
    static func phone(_ text: String) -> Bool {
        (8...15).contains(digits(text).count)
    }
}
