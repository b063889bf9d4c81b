import Testing

@testable import LoomTrust

/// International numbers written where libphonenumber's matcher does not look: E.164 digits
/// without their `+` in a place that says they are international, `00` numbers on a desk whose
/// own international prefix is another, and layouts the matcher refuses. Each is taken only
/// when libphonenumber calls the number valid; the look-alikes beside each are the same digits
/// (or the same shape) somewhere that says nothing of the kind.
struct InternationalPhoneTests {
    func found(_ text: String, region: String? = nil, _ preset: PIIDetector.Preset = .standard) -> [String] {
        PIIDetector(preset: preset, region: region).matches(in: text).map { "\($0.kind) \($0.value)" }
    }

    @Test(arguments: [
        ("US", "[chat](https://wa.me/447911123456?text=hi)", "447911123456"),
        ("GB", "https://wa.me/447911123456", "447911123456"),
        ("US", "Write to us: wa.me/5511987654321!", "5511987654321"),
        ("DE", "catalogue https://wa.me/c/4915123456789", "4915123456789"),
        ("US", "https://api.whatsapp.com/send?phone=34612345678&text=hola", "34612345678"),
        ("US", "https://api.whatsapp.com/send/?text=hi&phone=919876543210", "919876543210"),
        ("FR", "whatsapp://send?phone=33612345678", "33612345678"),
        ("US", "msisdn=33612345678 status=DELIVRD", "33612345678"),
        ("US", #"{"msisdn": "447911123456", "status": "sent"}"#, "447911123456"),
        ("AU", "<msisdn>61412345678</msisdn>", "61412345678"),
        ("US", "dest_msisdn=4915123456789&dlr=1", "4915123456789"),
        ("US", #"{"phone_e164": "12127365000"}"#, "12127365000"),
        ("JP", "E.164: 819012345678", "819012345678"),
        ("US", "POST /sms From=%2B447911123456&Body=hi", "%2B447911123456"),
    ])
    func e164DigitsWhereTheTextSaysTheyAreInternational(region: String, text: String, value: String) {
        #expect(found(text, region: region) == ["PHONE \(value)"])
        #expect(found(text, region: region, .strict) == ["PHONE \(value)"])
    }

    /// The same digits where nothing says they are international (a path, a query id), and
    /// carriers holding what is no valid international number (a national one, a bad country
    /// code, too many digits, a short link's id).
    @Test(arguments: [
        ("US", "https://shop.example.com/orders/447911123456"), ("US", "https://example.com/a?id=447911123456&page=2"),
        ("GB", "https://wa.me/999123456789"), ("GB", "https://wa.me/02079460958"),
        ("GB", "https://wa.me/447911123456789012"), ("US", "msisdn=99912345678"), ("US", "msisdn=123456"),
        ("GB", "https://wa.me/message/4479111234"), ("US", "next=%2B999123456789"),
    ])
    func digitsThatAreNotAValidInternationalNumberStay(region: String, text: String) {
        #expect(found(text, region: region).isEmpty, "\(found(text, region: region))")
    }

    @Test(arguments: [
        ("US", #"17,"Mira","0030 210 123 4567""#, "0030 210 123 4567"),
        ("US", "call 0044 20 7946 0958 today", "0044 20 7946 0958"),
        ("JP", "0033 1 42 68 53 00", "0033 1 42 68 53 00"),
        ("AU", "Büro: 00 49 30 12345678.", "00 49 30 12345678"),
        ("US", "or 011 44 20 7946 0958", "011 44 20 7946 0958"),
        ("CA", "office 011 33 1 42 68 53 00", "011 33 1 42 68 53 00"),
        ("DE", "Tel. 0033 1 42 68 53 00", "0033 1 42 68 53 00"),
    ])
    func internationalPrefixNumbersWhateverTheRegion(region: String, text: String, value: String) {
        #expect(found(text, region: region) == ["PHONE \(value)"])
    }

    @Test(arguments: ["batch 0044 2079 4609 58", "0099-1234-5678", "code 0012-3456", "lot 0000-1234-5678"])
    func zeroPaddedLookAlikesStay(text: String) {
        #expect(found(text, region: "US").isEmpty, "\(found(text, region: "US"))")
    }

    @Test(arguments: [
        ("US", "New number: +36/20/1234567!", "+36/20/1234567"), ("GB", "Tel +49/30/12345678", "+49/30/12345678"),
        ("US", "mobil 0036/20/1234567", "0036/20/1234567"), ("DE", "Büro +43/1/5321234;", "+43/1/5321234"),
        ("US", "(+33/1/42/68/53/00)", "+33/1/42/68/53/00"),
    ])
    func internationalNumbersWithSlashes(region: String, text: String, value: String) {
        #expect(found(text, region: region) == ["PHONE \(value)"])
    }

    @Test(arguments: ["+999/123/4567", "+36/30/1234", "released 2024/05/12/1234", "+1/2/3"])
    func slashLookAlikesStay(text: String) {
        #expect(found(text, region: "US").isEmpty, "\(found(text, region: "US"))")
    }
}
