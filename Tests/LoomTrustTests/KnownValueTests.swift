import Foundation
import LoomContract
import Testing

@testable import LoomTrust

/// The known-value invariant: a value the scope's vault holds is its token wherever it appears
/// again, in any case, spacing or separators, whether or not a detector would find it there.
struct KnownValueTests {
    func makeMasker() throws -> (Masker, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-known-\(UUID().uuidString)")
        let reference = try NSRegularExpression(pattern: #"\bORD-\d{6}\b"#)
        let custom = [PIIDetector.Custom(kind: "ORDER_REF", pattern: reference)]
        let cipher = try VaultCipher(masterKey: Data((0..<32).map { UInt8($0) }))
        let vault = try TokenVault.open(directory: directory, cipher: cipher)
        return (Masker(vault: vault, custom: custom), directory)
    }

    /// Each kind as the user wrote it, and as a tool might echo it back where no detector finds it.
    static let values: [(kind: String, said: String, echoed: String)] = [
        ("EMAIL", "write to ana.lima@example.com please", "ANA.LIMA@EXAMPLE.COM"),
        ("PHONE", "call +351 912 345 678 today", "351912345678"),
        ("CARD", "card 4111 1111 1111 1111 thanks", "4111111111111111"),
        ("SSN", "my SSN is 280-60-3269 ok", "280603269"),
        ("IBAN", "IBAN DE89 3704 0044 0532 0130 00 here", "de89370400440532013000"),
        ("ABA", "routing number 021000021 for it", "021-000-021"),
        ("IPV4", "from 192.168.1.20 yesterday", "192.168.1.20"),
        ("IPV6", "from 2001:db8::8a2e:370:7334 yesterday", "2001:DB8::8A2E:370:7334"),
        ("ORDER_REF", "order ORD-123456 arrived", "ord 123456"),
    ]

    @Test func aToolEchoOfAHeldValueBecomesItsTokenForEveryKind() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        let said = try await masker.mask(MaskRequest(scope: "s", preset: "standard", texts: Self.values.map(\.said)))
        var tokens: [String] = []
        for (value, masked) in zip(Self.values, said.texts) {
            let match = masked.firstMatch(of: #/\[[A-Z][A-Z0-9_]*_\d+\]/#)
            let token = try #require(match.map { String($0.output) }, "\(value.kind): \(masked)")
            #expect(token.hasPrefix("[\(value.kind)_"), "\(masked)")
            tokens.append(token)
        }
        // A name masked whole (no detector finds names) is held like any other value.
        let name = try await masker.mask(
            MaskRequest(scope: "s", preset: "standard", texts: ["Ana Lima"], wholeValueKinds: ["NAME"]))
        #expect(name.texts == ["[NAME_1]"])

        let echoes = Self.values.map { "no case with id '\($0.echoed)'" } + ["Thanks, ANA-LIMA!"]
        let echoed = try await masker.mask(MaskRequest(scope: "s", preset: "standard", texts: echoes))
        #expect(echoed.texts == tokens.map { "no case with id '\($0)'" } + ["Thanks, [NAME_1]!"])
        // Another scope holds none of them: only what a detector finds there is masked.
        let other = try await masker.mask(
            MaskRequest(scope: "t", preset: "standard", texts: ["no case with id '280603269'"]))
        #expect(other.texts == ["no case with id '280603269'"])
    }

    @Test func layoutsOfOneValueShareOneToken() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await masker.mask(
            MaskRequest(scope: "s", preset: "standard", texts: ["280603269"], wholeValueKinds: ["CASE_ID"]))
        let result = try await masker.mask(MaskRequest(
            scope: "s", preset: "standard",
            texts: ["280-603-269, 280 603 269 and 280603269 (or ２８０６０３２６９)"]))
        #expect(result.texts == ["[CASE_ID_1], [CASE_ID_1] and [CASE_ID_1] (or [CASE_ID_1])"])
        #expect(result.detections == ["case_id": 4])
        // Within one call too: a value a detector finds first and its other layout later.
        let once = try await masker.mask(
            MaskRequest(scope: "u", preset: "standard", texts: ["card 4111 1111 1111 1111", "id 4111111111111111"]))
        #expect(once.texts == ["card [CARD_1]", "id [CARD_1]"])
        #expect(try await masker.unmask(UnmaskRequest(scope: "s", texts: ["[CASE_ID_1]"])).texts == ["280603269"])
    }

    @Test func shortValuesRunsThatContinueAndTokensAreLeftAlone() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await masker.mask(MaskRequest(
            scope: "s", preset: "standard", texts: ["123", "280603269", "Ana Lima", "Email"],
            wholeValueKinds: ["CODE", "CASE_ID", "NAME", "LABEL"]))
        let result = try await masker.mask(MaskRequest(
            scope: "s", preset: "standard", texts: ["code 123, id 12806032691, Ana Limas, [EMAIL_1] and email"]))
        #expect(result.texts == ["code 123, id 12806032691, Ana Limas, [EMAIL_1] and [LABEL_1]"])
    }

    @Test func aCallThatFindsNothingIsNotAuditedAndAHeldValueIsAuditedAsKnown() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        func audited() async throws -> [AuditEntry] {
            try await masker.vault.store.read { db in try AuditLog.entries(db, executionId: "exe-a", limit: 100) }
        }
        _ = try await masker.mask(MaskRequest(scope: "s", preset: "standard", texts: ["SSN 280-60-3269"], executionId: "exe-a"))
        #expect(try await audited().count == 1)
        let plain = try await masker.mask(MaskRequest(scope: "s", preset: "standard", texts: ["nothing here"], executionId: "exe-a"))
        #expect(plain.texts == ["nothing here"] && plain.detections.isEmpty)
        #expect(try await audited().count == 1)
        // Only held values: no token is minted, and the entry says they were found as known values.
        let prepared = try await masker.prepare(
            MaskRequest(scope: "s", preset: "standard", texts: ["id 280603269"], executionId: "exe-a"))
        #expect(prepared.result.texts == ["id [SSN_1]"])
        let audit = try #require(prepared.audit)
        try await masker.vault.store.write { db in try audit(db) }
        #expect(try await audited().last?.detail["knownValues"] == "1")
    }

    @Test func theIndexKeepsLayoutOutAndStructureIn() {
        var index = KnownValueIndex()
        index.add(.init(kind: "PHONE", original: "+1 (415) 555-2671", token: "[PHONE_1]"))
        index.add(.init(kind: "IPV4", original: "10.0.0.1", token: "[IPV4_1]"))
        let text = Array("call +1 (415) 555 2671, not 10001 or 1-415-555-26711; host 10.0.0.1".unicodeScalars)
        let found = index.matches(in: text).map { String(String.UnicodeScalarView(text[$0.range])) }
        // The `+` opening the held number goes with it; `10001` is not the address.
        #expect(found == ["+1 (415) 555 2671", "10.0.0.1"])
    }

    /// A phone number held in its international form is found in its national ones, with or
    /// without the trunk prefix, and one held nationally in its international ones.
    @Test func aHeldPhoneIsFoundInItsNationalAndInternationalForms() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        func mask(_ scope: String, _ region: String, _ texts: [String]) async throws -> [String] {
            try await masker.mask(MaskRequest(scope: scope, preset: "standard", texts: texts, region: region)).texts
        }
        #expect(try await mask("s", "GB", ["call +44 20 7946 0958"]) == ["call [PHONE_1]"])
        let national = ["no case with id '020 7946 0958'", "id 2079460958", "0044 20 7946 0958", "+44 (0)20 7946 0958"]
        #expect(
            try await mask("s", "GB", national)
                == ["no case with id '[PHONE_1]'", "id [PHONE_1]", "[PHONE_1]", "[PHONE_1]"])
        #expect(try await masker.unmask(UnmaskRequest(scope: "s", texts: ["[PHONE_1]"])).texts == ["+44 20 7946 0958"])

        #expect(try await mask("t", "FR", ["appelez le 01 42 68 53 00"]) == ["appelez le [PHONE_1]"])
        let international = ["id 33142685300", "ref '+33 1 42 68 53 00'", "0033 (0)1 42 68 53 00", "tel 1.42.68.53.00"]
        let internationalMasked = try await mask("t", "FR", international)
        #expect(internationalMasked == ["id [PHONE_1]", "ref '[PHONE_1]'", "[PHONE_1]", "tel [PHONE_1]"])
    }

    /// National forms are read on the desk's region: on a US desk a UK number's `207 946 0958`
    /// is a number in Maine, another person's, so it gets a token of its own.
    @Test func aNationalFormThatNamesAnotherNumberOnTheDeskIsNotTheHeldOne() async throws {
        let (masker, directory) = try makeMasker()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await masker.mask(
            MaskRequest(scope: "s", preset: "standard", texts: ["+44 20 7946 0958"], region: "US"))
        let result = try await masker.mask(MaskRequest(
            scope: "s", preset: "standard", texts: ["call 207 946 0958", "or 020 7946 0958"], region: "US"))
        #expect(result.texts == ["call [PHONE_2]", "or [PHONE_1]"])
    }

    @Test func theIndexKnowsAPhonesOtherLayouts() {
        var index = KnownValueIndex(region: "IT")
        index.add(.init(kind: "PHONE", original: "+39 06 1234 5678", token: "[PHONE_1]"))
        index.add(.init(kind: "PHONE", original: "347 123 4567", token: "[PHONE_2]"))
        index.add(.init(kind: "CASE_ID", original: "+39 02 9999 8888", token: "[CASE_ID_1]"))
        let text = "06 1234 5678, 0039 06 12345678, 106 1234 5678, +39 347 123 4567, 02 9999 8888"
        let scalars = Array(text.unicodeScalars)
        let found = index.matches(in: scalars).map {
            ($0.entry.token ?? "", String(String.UnicodeScalarView(scalars[$0.range])))
        }
        // Italy keeps its leading zero in the national number; a run that continues is not the value;
        // only phone numbers get other layouts.
        #expect(found.map(\.0) == ["[PHONE_1]", "[PHONE_1]", "[PHONE_2]"])
        #expect(found.map(\.1) == ["06 1234 5678", "0039 06 12345678", "+39 347 123 4567"])
        #expect(KnownPhoneForms.keys(of: "not a number", region: "IT").isEmpty)
    }
}
