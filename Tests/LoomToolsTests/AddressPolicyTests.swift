import LoomConfig
import Testing

@testable import LoomTools

/// SSRF: every range a callout must not reach without leave, in both families and as IPv4
/// inside IPv6; the allowances open only what they name.
struct AddressPolicyTests {
    static func kind(_ text: String) throws -> AddressPolicy.Kind {
        AddressPolicy.kind(of: try #require(NetworkAddress(text), "\(text)"))
    }

    @Test(arguments: [
        ("127.0.0.1", AddressPolicy.Kind.loopback), ("127.255.1.2", .loopback), ("::1", .loopback),
        ("10.1.2.3", .private), ("172.16.0.1", .private), ("172.31.255.255", .private), ("192.168.1.1", .private),
        ("100.64.0.1", .private), ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal), ("fe80::1", .linkLocal),
        ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal), ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
        ("::", .unspecified), ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
        ("255.255.255.255", .reserved), ("240.0.0.1", .reserved), ("192.0.2.1", .reserved), ("2001:db8::1", .reserved),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal), ("::ffff:10.0.0.1", .private),
        ("::ffff:0.0.0.0", .unspecified), ("[::ffff:7f00:1]", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal),
        ("8.8.8.8", .public), ("93.184.216.34", .public), ("172.32.0.1", .public), ("2606:4700::1111", .public),
        ("::ffff:8.8.8.8", .public),
    ])
    func classification(_ address: String, _ expected: AddressPolicy.Kind) throws {
        #expect(try Self.kind(address) == expected, "\(address)")
    }

    @Test func everyResolvedAddressIsCheckedAndTheFirstIsUsed() throws {
        let public1 = try #require(NetworkAddress("93.184.216.34"))
        let public2 = try #require(NetworkAddress("2606:4700::1111"))
        let metadata = try #require(NetworkAddress("169.254.169.254"))
        let none = AddressPolicy.Allowance()
        #expect(AddressPolicy.decide([public1, public2], none) == .connect([public1, public2]))
        // A name that also resolves to a private address is refused whole: no picking the safe one.
        #expect(AddressPolicy.decide([public1, metadata], none) == .refuse(metadata, .linkLocal))
        #expect(AddressPolicy.decide([], none) == .nothingResolved)
    }

    @Test func allowancesOpenOnlyWhatTheyName() throws {
        let loopback = try #require(NetworkAddress("127.0.0.1"))
        let mapped = try #require(NetworkAddress("::ffff:127.0.0.1"))
        let unspecified = try #require(NetworkAddress("0.0.0.0"))
        let multicast = try #require(NetworkAddress("224.0.0.1"))
        let other = try #require(NetworkAddress("10.0.0.5"))
        let privateOK = AddressPolicy.Allowance(privateNetworks: true)
        #expect(AddressPolicy.decide([loopback], privateOK) == .connect([loopback]))
        #expect(AddressPolicy.decide([unspecified], privateOK) == .refuse(unspecified, .unspecified))
        #expect(AddressPolicy.decide([multicast], privateOK) == .refuse(multicast, .multicast))
        let range = AddressPolicy.Allowance(ranges: [try #require(NetworkRange("127.0.0.1/32"))])
        #expect(AddressPolicy.decide([loopback], range) == .connect([loopback]))
        #expect(AddressPolicy.decide([mapped], range) == .connect([mapped]))
        #expect(AddressPolicy.decide([other], range) == .refuse(other, .private))
    }

    @Test func rangesParseAndMatch() throws {
        let range = try #require(NetworkRange("10.1.2.0/23"))
        #expect(range.contains(try #require(NetworkAddress("10.1.3.255"))))
        #expect(!range.contains(try #require(NetworkAddress("10.1.4.0"))))
        #expect(!range.contains(try #require(NetworkAddress("::ffff:10.1.2.1"))), "families never mix")
        for bad in ["10.0.0.0/33", "nope/8", "::/129", "1.2.3/8", "fe80::1%eth0"] {
            #expect(NetworkRange(bad) == nil, "\(bad)")
        }
    }
}
