import Foundation
import LoomContract

/// The public keys allowed on the bus and whom each belongs to.
///
/// Text form, one member a line: `role instance public-key`, for example
/// `router router rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7`; blank lines and lines starting
/// with `#` are ignored. The key comes last because Z85 keys may contain `#`.
public struct BusRoster: Sendable, Equatable {
    public private(set) var members: [String: BusIdentity]

    public init(members: [String: BusIdentity] = [:]) { self.members = members }

    public init(parsing text: String) throws(BusSecurityError) {
        var members: [String: BusIdentity] = [:]
        var instances: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 3 else { throw .badRoster(line: index + 1, "expected 'role instance public-key'") }
            guard let role = BusRole(rawValue: fields[0]) else {
                let roles = BusRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRoster(line: index + 1, "unknown role '\(fields[0])' (expected one of: \(roles))")
            }
            guard Self.isInstanceName(fields[1]) else {
                throw .badRoster(line: index + 1, "instance names use letters, digits, '-' and '_': '\(fields[1])'")
            }
            guard CurveKeyPair.isZ85Key(fields[2]) else {
                throw .badRoster(line: index + 1, "the key is not 40 characters of Z85")
            }
            guard members[fields[2]] == nil else { throw .badRoster(line: index + 1, "the key is listed twice") }
            guard instances.insert(fields[1]).inserted else {
                throw .badRoster(line: index + 1, "instance '\(fields[1])' is listed twice")
            }
            members[fields[2]] = BusIdentity(role: role, instance: fields[1])
        }
        self.members = members
    }

    public func member(publicKey: String) -> BusIdentity? { members[publicKey] }

    /// Letters, digits, `-` and `_`: no `.`, which separates an operator's per-run suffix, so
    /// no instance name can pass for another's routing id.
    public static func isInstanceName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The key of the instance named `name`, or of the only member whose role is `name`: how a
    /// process finds the server key of a peer it connects to by service name.
    public func publicKey(of name: String) -> (key: String, identity: BusIdentity)? {
        if let exact = members.first(where: { $0.value.instance == name }) { return (exact.key, exact.value) }
        let byRole = members.filter { $0.value.role.rawValue == name }
        guard byRole.count == 1, let only = byRole.first else { return nil }
        return (only.key, only.value)
    }

    public mutating func add(_ identity: BusIdentity, publicKey: String) {
        members = members.filter { $0.value.instance != identity.instance }
        members[publicKey] = identity
    }

    public var text: String {
        let lines = members
            .sorted { ($0.value.role.rawValue, $0.value.instance) < ($1.value.role.rawValue, $1.value.instance) }
            .map { "\($0.value.role.rawValue) \($0.value.instance) \($0.key)" }
        return "# Loom bus roster: role instance public-key. Public keys only; safe to distribute.\n"
            + lines.joined(separator: "\n") + "\n"
    }
}
