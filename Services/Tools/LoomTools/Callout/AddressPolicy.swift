import LoomConfig

/// Which addresses a callout may connect to (SSRF): after DNS resolution, every address the
/// name resolves to is classified, and one that is not public refuses the call, unless the
/// capability allows private networks or names the address's range. An IPv4-mapped or NAT64
/// IPv6 address counts as the IPv4 address inside it.
enum AddressPolicy {
    enum Kind: String, Sendable, Equatable {
        case `public`, loopback, `private`, linkLocal, uniqueLocal, unspecified, multicast, reserved
    }

    enum Decision: Sendable, Equatable {
        /// Every address allowed: tried in order while a connection cannot be made.
        case connect([NetworkAddress])
        case refuse(NetworkAddress, Kind)
        case nothingResolved
    }

    struct Allowance: Sendable, Equatable {
        var privateNetworks = false
        var ranges: [NetworkRange] = []
    }

    /// Kinds that `allowPrivateNetworks` admits; the others only an explicit range does.
    static let privateKinds: Set<Kind> = [.loopback, .private, .linkLocal, .uniqueLocal]

    static let v4: [(String, Kind)] = [
        ("0.0.0.0/8", .unspecified), ("10.0.0.0/8", .private), ("100.64.0.0/10", .private), ("127.0.0.0/8", .loopback),
        ("169.254.0.0/16", .linkLocal), ("172.16.0.0/12", .private), ("192.0.0.0/24", .reserved),
        ("192.0.2.0/24", .reserved), ("192.88.99.0/24", .reserved), ("192.168.0.0/16", .private),
        ("198.18.0.0/15", .reserved), ("198.51.100.0/24", .reserved), ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
    ]
    static let v6: [(String, Kind)] = [
        ("::/128", .unspecified), ("::1/128", .loopback), ("::/96", .reserved), ("100::/64", .reserved),
        ("2001:db8::/32", .reserved), ("fc00::/7", .uniqueLocal), ("fe80::/10", .linkLocal), ("fec0::/10", .private),
        ("ff00::/8", .multicast),
    ]
    static let ranges: [(NetworkRange, Kind)] = (v4 + v6).compactMap { text, kind in
        NetworkRange(text).map { ($0, kind) }
    }
    static let nat64 = NetworkRange("64:ff9b::/96")

    static func kind(of address: NetworkAddress) -> Kind {
        if let inner = embeddedIPv4(address) { return kind(of: inner) }
        return ranges.first { $0.0.contains(address) }?.1 ?? .public
    }

    /// The IPv4 address an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) address carries.
    static func embeddedIPv4(_ address: NetworkAddress) -> NetworkAddress? {
        if let mapped = address.mappedIPv4 { return mapped }
        guard let nat64, nat64.contains(address) else { return nil }
        return NetworkAddress(bytes: Array(address.bytes[12..<16]))
    }

    static func isAllowed(_ address: NetworkAddress, _ allowance: Allowance) -> Bool {
        let kind = kind(of: address)
        if kind == .public { return true }
        if allowance.privateNetworks && privateKinds.contains(kind) { return true }
        let candidates = [address] + [embeddedIPv4(address)].compactMap { $0 }
        return allowance.ranges.contains { range in candidates.contains(where: range.contains) }
    }

    /// Every address must be allowed; the call goes to the first that takes a connection.
    static func decide(_ addresses: [NetworkAddress], _ allowance: Allowance) -> Decision {
        guard !addresses.isEmpty else { return .nothingResolved }
        if let refused = addresses.first(where: { !isAllowed($0, allowance) }) {
            return .refuse(refused, kind(of: refused))
        }
        return .connect(addresses)
    }
}
