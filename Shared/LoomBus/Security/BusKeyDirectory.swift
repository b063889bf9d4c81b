import Foundation
import LoomContract

/// A directory of bus keys as `loom keys init` writes it: `<instance>.key` per member, each
/// holding its Z85 secret key (mode 0600), and `roster` with every member's public key.
public struct BusKeyDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// The members a local suite needs: one instance per service and one operator.
    public static let suiteMembers: [BusIdentity] =
        BusRole.services.map { BusIdentity(role: $0, instance: $0.rawValue) }
            + [BusIdentity(role: .operator, instance: "operator")]

    public var rosterFile: URL { url.appendingPathComponent("roster") }

    public func keyFile(of instance: String) -> URL { url.appendingPathComponent("\(instance).key") }

    /// Writes a key pair for every member that has none yet and the roster of all of them.
    /// Existing keys are kept, so running it again only adds members. Returns the roster.
    @discardableResult
    public func initialize(members: [BusIdentity] = suiteMembers) throws -> BusRoster {
        let files = FileManager.default
        try files.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
        var roster = files.fileExists(atPath: rosterFile.path)
            ? try BusRoster(parsing: String(contentsOf: rosterFile, encoding: .utf8)) : BusRoster()
        for member in members {
            guard BusRoster.isInstanceName(member.instance) else {
                throw BusSecurityError.badKey("instance names use letters, digits, '-' and '_': '\(member.instance)'")
            }
            let pair: CurveKeyPair
            // An existing key is read or the command fails; it is never silently replaced.
            if files.fileExists(atPath: keyFile(of: member.instance).path) {
                pair = try CurveKeyPair(secretKey: String(contentsOf: keyFile(of: member.instance), encoding: .utf8))
            } else {
                pair = try CurveKeyPair.generate()
                try write(pair.secretKey + "\n", to: keyFile(of: member.instance), mode: 0o600)
            }
            roster.add(member, publicKey: pair.publicKey)
        }
        try write(roster.text, to: rosterFile, mode: 0o644)
        return roster
    }

    public func keyPair(of instance: String) throws -> CurveKeyPair {
        let file = keyFile(of: instance)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw BusSecurityError.missing(
                "no bus key for '\(instance)' at \(file.path) (run `loom keys init \(url.path)`)")
        }
        return try CurveKeyPair(secretKey: text)
    }

    /// Writes through a temporary file and a rename, so a reader never sees half a roster.
    private func write(_ text: String, to file: URL, mode: Int) throws {
        let temporary = file.appendingPathExtension("tmp-\(getpid())")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else {
            throw BusSecurityError.missing("cannot write \(temporary.path)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            throw BusSecurityError.missing("cannot replace \(file.path): \(String(cString: strerror(errno)))")
        }
    }
}
