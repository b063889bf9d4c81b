import Foundation
import Testing

@testable import LoomTrust

/// Each detector on values it must find and on look-alikes it must leave alone.
struct DetectorTests {
    let standard = PIIDetector(preset: .standard)
    let strict = PIIDetector(preset: .strict)

    func kinds(_ text: String, _ detector: PIIDetector) -> [String] { detector.matches(in: text).map(\.kind) }
    func values(_ text: String, _ detector: PIIDetector) -> [String] { detector.matches(in: text).map(\.value) }

    @Test func everyPatternCompiles() {
        let patterns = [
            Patterns.email, Patterns.iban, Patterns.card, Patterns.ssn, Patterns.aba, Patterns.routingWords, Patterns.ipv4, Patterns.versionWords,
            Patterns.ipv6, Patterns.internationalPhone, Patterns.nationalPhone, Patterns.bareDigits, Patterns.ssnUndashed,
            Patterns.ssnWords, Patterns.notPhoneLabels, Patterns.gluedBefore, Patterns.gluedAfter,
            Patterns.internationalWritten, Patterns.e164Carriers,
        ]
        #expect(patterns.allSatisfy { $0 != nil })
    }

    @Test(arguments: [
        ("mail ana@example.com now", "ana@example.com"), ("<j.smith+orders@mail.example.co.uk>", "j.smith+orders@mail.example.co.uk"),
    ])
    func emails(text: String, value: String) { #expect(values(text, standard) == [value] && kinds(text, standard) == ["EMAIL"]) }

    @Test(arguments: [
        ("Call +1 415 555 2671 today", "+1 415 555 2671"), ("tel: +4915123456789", "+4915123456789"), ("(415) 555-2671", "(415) 555-2671"),
        ("ring 415-555-2671", "415-555-2671"), ("office 020 7946 0958", "020 7946 0958"), ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("call 555 123 4567 tonight", "555 123 4567"), ("Phone: 1-800-555-0199", "1-800-555-0199"), ("mobile 07911 123456", "07911 123456"),
        ("Phone number 030 901820", "030 901820"),
    ])
    func phones(text: String, value: String) { #expect(values(text, standard) == [value] && kinds(text, standard) == ["PHONE"]) }

    @Test(arguments: [
        "The meeting is on 2024-05-12", "Order 4812 3311 was shipped", "Version 10.4.2.1 fixes it", "It costs 1,234,567.89",
        "between 09:30 and 17:45", "the date 12/05/2024 works", "ISBN 978-3-16-148410-0", "order #100045873 arrived",
        "see Luke 2:14", "MAC 00:1a:2b:3c:4d:5e noted", "ratio 3:2:1", "address 256.1.1.1 is invalid", "Update to version 1.2.3.4",
    ])
    func lookAlikesStay(text: String) { #expect(kinds(text, standard).isEmpty, "\(kinds(text, standard))") }

    @Test func cardsNeedLuhn() {
        #expect(kinds("card 4111 1111 1111 1111 please", standard) == ["CARD"])
        #expect(kinds("card 4111-1111-1111-1111", standard) == ["CARD"])
        #expect(kinds("amex 378282246310005", standard) == ["CARD"])
        #expect(kinds("order 4111 1111 1111 1112", standard).isEmpty)
        #expect(kinds("tracking 1234567890123456", standard).isEmpty)
    }

    @Test func socialSecurityNumbersNeedValidRanges() {
        #expect(kinds("SSN 078-05-1120", standard) == ["SSN"])
        for invalid in ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"] {
            #expect(kinds("ref \(invalid)", standard).isEmpty, "\(invalid)")
        }
    }

    @Test func ibansNeedMod97() {
        #expect(kinds("IBAN DE89 3704 0044 0532 0130 00 please", standard) == ["IBAN"])
        #expect(kinds("IBAN GB29NWBK60161331926819", standard) == ["IBAN"])
        #expect(kinds("IBAN DE88 3704 0044 0532 0130 00", standard).isEmpty)
    }

    @Test func routingNumbersNeedTheChecksumAndInStandardAWordNearby() {
        #expect(kinds("routing number 021000021", standard) == ["ABA"])
        #expect(kinds("ABA 011000015 for the wire", standard) == ["ABA"])
        #expect(kinds("routing number 021000022", standard).isEmpty)  // checksum fails
        #expect(kinds("order 021000021 shipped", standard).isEmpty)  // nothing says routing
        #expect(kinds("order 021000021 shipped", strict) == ["ABA"])
    }

    @Test func ipAddressesParse() {
        #expect(values("from 192.168.1.20 failed", standard) == ["192.168.1.20"] && kinds("from 192.168.1.20", standard) == ["IPV4"])
        #expect(kinds("from 2001:db8::8a2e:370:7334 at noon", standard) == ["IPV6"])
        #expect(kinds("loopback ::1 answered", standard) == ["IPV6"])
        #expect(kinds("v2.10.0.1 is the release", standard).isEmpty)
        #expect(kinds("the time 12:30:45", standard).isEmpty)
    }

    @Test func strictAlsoTakesBareDigitRunsAsPhones() {
        // A bare run valid in the region's plan is a number in both; one no plan assigns only in strict.
        #expect(kinds("reach me on 4155552671", standard) == ["PHONE"])
        #expect(kinds("reach me on 1235552671", standard).isEmpty)
        #expect(kinds("reach me on 1235552671", strict) == ["PHONE"])
    }

    @Test func customPatternsComeFirstAndNameTheirTokens() throws {
        let custom = PIIDetector(custom: [PIIDetector.Custom(kind: "ORDER_REF", pattern: try NSRegularExpression(pattern: #"\bORD-\d{6}\b"#))])
        #expect(custom.matches(in: "about ORD-123456 and ana@example.com").map(\.kind) == ["ORDER_REF", "EMAIL"])
    }

    @Test func overlappingClaimsGoToTheFirstDetector() {
        // The IBAN's digits are not also read as a card or a phone number.
        #expect(kinds("DE89370400440532013000", standard) == ["IBAN"])
    }
}
