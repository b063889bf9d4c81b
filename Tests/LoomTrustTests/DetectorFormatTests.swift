import Foundation
import Testing

@testable import LoomTrust

/// The formats people write, each with values that must be taken whole and look-alikes that
/// must stay as they are.
struct DetectorFormatTests {
    func found(_ text: String, region: String? = nil, _ preset: PIIDetector.Preset = .standard) -> [String] {
        PIIDetector(preset: preset, region: region).matches(in: text).map { "\($0.kind) \($0.value)" }
    }

    @Test(arguments: [
        ("BR", "ligue (11) 98765-4321 hoje", "(11) 98765-4321"), ("BR", "fixo 21 3456-7890", "21 3456-7890"),
        ("BR", "+55 11 98765-4321", "+55 11 98765-4321"), ("FR", "appelez le 01.42.68.53.00.", "01.42.68.53.00"),
        ("FR", "portable 06 12 34 56 78", "06 12 34 56 78"), ("FR", "+33 (0)6 12 34 56 78", "+33 (0)6 12 34 56 78"),
        ("IN", "call 98765 43210", "98765 43210"), ("IN", "+91-9876543210 is mine", "+91-9876543210"),
        ("IN", "office 022-2345-6789", "022-2345-6789"), ("DE", "Tel. 030/12345678", "030/12345678"),
        ("DE", "Handy 0171 2345678", "0171 2345678"), ("JP", "電話 03-1234-5678", "03-1234-5678"),
        ("JP", "+81 90 1234 5678", "+81 90 1234 5678"), ("MX", "(55) 1234-5678", "(55) 1234-5678"),
        ("AU", "mobile 0412 345 678", "0412 345 678"), ("ES", "móvil 612 34 56 78", "612 34 56 78"),
        ("IT", "cell 347 123 4567", "347 123 4567"), ("NL", "bel 06-12345678", "06-12345678"),
        ("GB", "ring 0161 496 0123", "0161 496 0123"), ("US", "call (212) 736-5000.", "(212) 736-5000"),
        ("US", "call 212.736.5000!", "212.736.5000"), ("US", "+1 212 736 5000?", "+1 212 736 5000"),
    ])
    func nationalAndInternationalPhones(region: String, text: String, value: String) {
        #expect(found(text, region: region) == ["PHONE \(value)"])
    }

    @Test func internationalNumbersAreFoundWhateverTheRegion() {
        #expect(found("WhatsApp +34 612 34 56 78.", region: "US") == ["PHONE +34 612 34 56 78"])
        #expect(found("call +91 98765 43210", region: "BR") == ["PHONE +91 98765 43210"])
    }

    @Test(arguments: [
        "ISBN 978-3-16-148410-0", "ISBN 9783161484100", "SKU 4006381333931", "PO 4500123456",
        "purchase order is 4512345678", "order PO-2024-004512", "tracking 1Z999AA10123456784",
        "FedEx tracking 7712 3456 7890", "DHL waybill 4155552671",
        "ts=1715512345", "timestamp 1715512345123", "time 1715512345.123", "id 9f1c2b7e-3d4a-4b5c-a6d7-e8f901234567",
        "sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "version 10.0.19045.4291", "build=4.2.1.7", "on 12.05.2024",
        "the date 2024-05-12", "file avatar@2x.png", "icon@3x.webp loaded", "invoice INV-2024-00123", "ZIP 94105-1234",
    ])
    func lookAlikesStay(text: String) {
        #expect(found(text).isEmpty, "\(found(text))")
    }

    @Test func socialSecurityNumbersWithOtherSeparatorsNeedTheWord() {
        let written = [
            "SSN 078 05 1120", "social security number 078.05.1120.", "ssn: 078051120", "Soc. Sec. # 078-05-1120",
        ]
        for text in written {
            #expect(found(text).count == 1 && found(text).first?.hasPrefix("SSN ") == true, "\(text): \(found(text))")
        }
        #expect(found("ref 078 05 1120").isEmpty)
        #expect(found("serial 078051120 shipped").isEmpty)
        #expect(found("SSN 666 05 1120").isEmpty)  // never issued
        #expect(found("SSN 078 00 1120").isEmpty)
        #expect(found("SSN 078.05.1120.5").isEmpty)  // part of a longer number
    }

    @Test func routingNumbersWithSeparators() {
        #expect(found("routing number 021-000-021.") == ["ABA 021-000-021"])
        #expect(found("ABA 021 000 021") == ["ABA 021 000 021"])
        #expect(found(#"{"routing_number": "021.000.021"}"#) == ["ABA 021.000.021"])
        #expect(found("RTN 0210 0002 1") == ["ABA 0210 0002 1"])
        #expect(found("routing number 021-000-022").isEmpty)  // checksum fails
        #expect(found("parts 021-000-021 in stock").isEmpty)  // nothing says routing
    }

    @Test(arguments: [
        ("peer ::ffff:20.148.154.1 dropped", "::ffff:20.148.154.1"), ("from ::FFFF:10.1.2.3.", "::FFFF:10.1.2.3"),
        ("nat64 64:ff9b::192.0.2.33 seen", "64:ff9b::192.0.2.33"),
        ("open http://[2001:db8::1]:8080/ now", "2001:db8::1"),
        ("ping fe80::1ff:fe23:4567:890a%eth0 failed", "fe80::1ff:fe23:4567:890a%eth0"),
        ("gateway fd12:3456:789a::.", "fd12:3456:789a::"),
        ("host 2001:0DB8:85A3:0000:0000:8A2E:0370:7334!", "2001:0DB8:85A3:0000:0000:8A2E:0370:7334"),
        ("embedded 2001:db8:1:2::203.0.113.7 ok", "2001:db8:1:2::203.0.113.7"), ("is ::1?", "::1"),
        ("peer 2001:db8:85a3:0:0:8a2e:370:7334 dropped", "2001:db8:85a3:0:0:8a2e:370:7334"),
        ("host 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
        ("via fe80:0:0:0:202:b3ff:fe1e:8329!", "fe80:0:0:0:202:b3ff:fe1e:8329"),
    ])
    func ipv6IsMaskedWhole(text: String, value: String) {
        #expect(found(text) == ["IPV6 \(value)"])
    }

    @Test func ipv6LookAlikesStay() {
        let lookAlikes = [
            "at 10:22:01.123", "uptime 01:02:03:04", "MAC 00:1a:2b:3c:4d:5e", "std::vector<int>", "a :: b", "Array::new",
        ]
        for text in lookAlikes {
            #expect(found(text).isEmpty, "\(text): \(found(text))")
        }
    }

    @Test func valuesBeforeSentencePunctuation() {
        #expect(found("Call 415-555-2671.") == ["PHONE 415-555-2671"])
        #expect(found("Our office: 020 7946 0958.") == ["PHONE 020 7946 0958"])  // outside the region, a known layout
        #expect(found("Mail ana@example.com.") == ["EMAIL ana@example.com"])
        #expect(found("from 10.0.0.1.") == ["IPV4 10.0.0.1"])
        #expect(found("SSN 078-05-1120;") == ["SSN 078-05-1120"])
        #expect(found("card 4111 1111 1111 1111.") == ["CARD 4111 1111 1111 1111"])
    }

    @Test func cardsComeFromAnIssuingNetwork() {
        #expect(found("ISBN=9787129589654").isEmpty)  // Luhn-valid, but 9 is no card network
        #expect(found("USPS tracking 9400 3981 5583 4299 0325 75").isEmpty)
        #expect(found("card 5500 0000 0000 0004") == ["CARD 5500 0000 0000 0004"])
    }

    @Test(arguments: [
        "IBAN NO93 8601 1117 947", "IBAN LC55 HEMM 0001 0001 0012 0012 0002 3015",
        "IBAN RU0304452522540817810538091310419", "IBAN DE89 3704 0044 0532 0130 00",
    ])
    func ibansOfRegisteredCountriesAtTheirLength(text: String) {
        #expect(found(text).count == 1 && found(text).first?.hasPrefix("IBAN ") == true, "\(found(text))")
    }

    /// Each passes mod 97, and none is an IBAN: no bank in the US, Canada, Japan or Australia
    /// issues one, and a German or British IBAN has exactly 22 characters.
    @Test(arguments: [
        "account_ref=US42123456789012345678", "<ref>CA23000123450067890123</ref>",
        "KeyError: 'JP63987654321098765432'", "ref AU34112233445566778899",
        "IBAN DE543704004405320130001", "IBAN DE5137040044053201300", "IBAN GB24NWBK6016133192681",
    ])
    func modNinetySevenAloneIsNoIBAN(text: String) {
        #expect(found(text).isEmpty, "\(found(text))")
    }

    /// A header row's column name describes every cell below it, however far from the header.
    @Test(arguments: [
        ("bank,\"routing number\"\n\"Example Savings Bank of Ohio\",\"021-000-021\"", ["ABA 021-000-021"]),
        ("bank\tABA\nExample Savings and Loan Association\t021000021\nWells Fargo Bank, N.A.\t121000248",
         ["ABA 021000021", "ABA 121000248"]),
        ("| bank | routing |\n|---|---|\n| Example Savings and Loan Association | 021 000 021 |", ["ABA 021 000 021"]),
        ("name;ssn\nAna Lima of the Lisbon office, second floor;078 05 1120", ["SSN 078 05 1120"]),
    ])
    func valuesUnderAColumnHeaderThatNamesThem(text: String, values: [String]) {
        #expect(found(text) == values)
    }

    @Test(arguments: [
        "routing number,customer account number\nsee the letter we sent you,021000021",  // another column
        "bank,routing number\nExample Savings and Loan Association,ref 021000021 attached",  // not the whole cell
        "bank,routing\nExample Savings and Loan Association,see below\n\n021000021",  // a blank line ends it
        "bank,routing\nExample Savings and Loan Association of Ohio,021000022",  // checksum fails
        "name,notes\nAna Lima of the Lisbon office, second floor,078 05 1120",  // no column says SSN
    ])
    func cellsTheirHeaderDoesNotNameStay(text: String) {
        #expect(found(text).isEmpty, "\(found(text))")
    }

    @Test func cardLengthsAreTheNetworksOwn() {
        #expect(found("card 2221 0000 0000 0009") == ["CARD 2221 0000 0000 0009"])  // Mastercard 2-series
        #expect(found("amex 3782 822463 10005") == ["CARD 3782 822463 10005"])
        #expect(found("diners 3012 345678 9019") == ["CARD 3012 345678 9019"])  // 14 digits
        #expect(found("visa 4222222222222") == ["CARD 4222222222222"])  // Visa's 13 digits
        // Luhn holds, but no network issues 13 digits starting with 2 or 3: airline ticket numbers.
        #expect(found("KeyError: '220-1234567891'").isEmpty)
        #expect(found("ETKT 301-2345678900").isEmpty)
    }

    @Test func digitsLabelledRoutingAreNoPhone() {
        // A valid Helsinki number that fails the routing checksum: after "routing" it is neither.
        #expect(found("(routing 091 234 567)", region: "FI").isEmpty)
        #expect(found("(soita 091 234 567)", region: "FI") == ["PHONE 091 234 567"])
        // One that passes it is a routing number on any desk.
        #expect(found("(routing 021 000 021)", region: "FI") == ["ABA 021 000 021"])
    }
}
