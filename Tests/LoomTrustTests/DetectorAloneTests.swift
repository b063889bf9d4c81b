import Testing

@testable import LoomTrust

/// Digits written alone, with no word near them: `standard` takes them only when their own
/// shape says what they are (a `+`, a country's phone grouping, a three-digit address group).
struct DetectorAloneTests {
    func found(_ text: String, region: String? = nil, _ preset: PIIDetector.Preset = .standard) -> [String] {
        PIIDetector(preset: preset, region: region).matches(in: text).map { "\($0.kind) \($0.value)" }
    }

    /// Bare digits and groupings no country writes a phone in: a waybill, an ISBN-10, a failed
    /// routing number, a SKU, a PO number, alone or between brackets and quotes.
    @Test(arguments: [
        ("US", "3239237683"), ("US", "5277031979"), ("DE", "055688580"), ("BR", "745-2767-976"),
        ("US", "  4197835610\n"), ("IT", "\"3239237683\""), ("US", "[2127365000]"), ("GB", "0207 94 60 958"),
    ])
    func nationalDigitsAloneWithoutAPhoneGroupingStay(region: String, text: String) {
        #expect(found(text, region: region).isEmpty, "\(found(text, region: region))")
    }

    @Test(arguments: [
        ("US", "(212) 736-5000", "(212) 736-5000"), ("US", "212-736-5000", "212-736-5000"),
        ("GB", "020 7946 0958", "020 7946 0958"), ("BR", "(11) 98765-4321", "(11) 98765-4321"),
        ("FR", "01.42.68.53.00", "01.42.68.53.00"), ("US", "+12127365000", "+12127365000"),
        ("DE", "004930901820", "004930901820"), ("US", "call 2127365000", "2127365000"),
        ("US", "2127365000 is my cell", "2127365000"), ("US", "Ana Lima\n2127365000", "2127365000"),
        ("IN", "{\"phone\": \"9876543210\"}", "9876543210"),
    ])
    func phonesAloneWithTheirOwnShapeOrAWordNearbyAreTaken(region: String, text: String, value: String) {
        #expect(found(text, region: region) == ["PHONE \(value)"])
    }

    @Test func strictStillTakesBareDigitsAlone() {
        #expect(found("3239237683", region: "US", .strict) == ["PHONE 3239237683"])
    }

    @Test(arguments: ["7.8.3.0", "1.0.7.74", "4.9.8.50", " 10.0.0.1\n", "(9.2.8.6)"])
    func shortDottedGroupsAloneAreVersions(text: String) {
        #expect(found(text).isEmpty, "\(found(text))")
    }

    @Test(arguments: [
        ("192.168.1.20", "192.168.1.20"), ("host 7.8.3.0", "7.8.3.0"), ("8.8.8.8 answered", "8.8.8.8"),
        ("[203.0.113.5]", "203.0.113.5"),
    ])
    func addressesWithAThreeDigitGroupOrAWordAreTaken(text: String, value: String) {
        #expect(found(text) == ["IPV4 \(value)"])
        #expect(found(text, .strict) == ["IPV4 \(value)"])
    }

    @Test func strictStillTakesShortDottedGroupsAlone() {
        #expect(found("7.8.3.0", .strict) == ["IPV4 7.8.3.0"])
    }
}
