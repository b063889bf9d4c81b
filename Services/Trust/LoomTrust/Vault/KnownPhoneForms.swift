import CPhoneNumbers

/// The other layouts of a phone number the vault holds, as digit keys for ``KnownValueIndex``:
/// one written `+44 20 7946 0958` is found again as `020 7946 0958`, `20 7946 0958`,
/// `0044 20 7946 0958` and `+44 (0)20 7946 0958`, and one written nationally is found again in
/// its international forms. National forms are read in the desk's region: one that names a
/// different number there (a UK number's `207 946 0958` on a US desk) is not a form of it.
enum KnownPhoneForms {
    /// Shorter keys are left out: a run of six digits is too common to stand for a number.
    static let minimumDigits = 7

    /// The digit keys of `original`'s other layouts, or none when it does not parse as a phone
    /// number whose length is possible in its country.
    static func keys(of original: String, region: String) -> [String] {
        guard let parts = PhoneNumberFinder.parts(of: original, region: region) else { return [] }
        let country = String(parts.countryCode), national = parts.nationalNumber, trunk = parts.nationalPrefix
        var keys = [country + national, "00" + country + national]
        if !trunk.isEmpty { keys += [country + trunk + national, "00" + country + trunk + national] }
        for form in [national] + (trunk.isEmpty ? [] : [trunk + national]) {
            let there = PhoneNumberFinder.parts(of: form, region: region)
            if there == nil || (there?.countryCode == parts.countryCode && there?.nationalNumber == national) {
                keys.append(form)
            }
        }
        return keys.filter { $0.count >= minimumDigits }
    }
}

extension PhoneNumberFinder {
    struct Parts: Equatable, Sendable {
        var countryCode: Int
        /// The national significant number: digits, without the trunk prefix.
        var nationalNumber: String
        /// The trunk prefix of the number's country (`0`), empty where it has none.
        var nationalPrefix: String
        var isValid: Bool
    }

    /// `text` parsed as one phone number, national ones in `region`'s plan.
    static func parts(of text: String, region: String) -> Parts? {
        var text = text
        var parts = loom_phone_parts()
        let status = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                loom_phone_parse(chars.baseAddress, chars.count, region, &parts)
            }
        }
        guard status == 0 else { return nil }
        return Parts(
            countryCode: Int(parts.country_code), nationalNumber: string(parts.national_number),
            nationalPrefix: string(parts.national_prefix), isValid: parts.is_valid != 0)
    }

    /// A NUL-terminated C array (imported as a tuple) as a string.
    private static func string<Tuple>(_ tuple: Tuple) -> String {
        withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
