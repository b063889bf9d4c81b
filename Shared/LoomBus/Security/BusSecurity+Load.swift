import Foundation
import LoomConfig
import LoomContract

extension BusSecurity {
    /// The security a process of `identity` runs with under `layout`: its key pair and the
    /// roster from the configured references or the key directory, checked against each other
    /// (the roster must list this key as this role and instance).
    public static func load(layout: SuiteLayout, identity: BusIdentity) throws -> BusSecurity {
        let settings = layout.busSecurity
        guard !settings.insecure else { return .insecure(identity) }
        let directory = BusKeyDirectory(settings.keysDirectory(dataDirectory: layout.dataDirectory))
        let pair: CurveKeyPair
        if let reference = settings.secretKey {
            guard let text = reference.resolve() else {
                throw BusSecurityError.missing("the bus secret key \(reference) is missing or empty")
            }
            pair = try CurveKeyPair(secretKey: text)
        } else {
            try KeyFileMode.requirePrivate(directory.keyFile(of: identity.instance).path)
            pair = try directory.keyPair(of: identity.instance)
        }
        let rosterSource: @Sendable () throws -> String
        if let reference = settings.roster {
            rosterSource = {
                if let path = reference.filePath { try KeyFileMode.requireNotWritableByOthers(path) }
                guard let text = reference.resolve() else {
                    throw BusSecurityError.missing("the bus roster \(reference) is missing or empty")
                }
                return text
            }
        } else {
            let file = directory.rosterFile
            rosterSource = {
                try KeyFileMode.requireNotWritableByOthers(file.path)
                guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                    throw BusSecurityError.missing(
                        "no bus roster at \(file.path) (run `loom keys init \(directory.url.path)`)")
                }
                return text
            }
        }
        let roster = try RosterStore(source: rosterSource)
        guard let listed = roster.member(publicKey: pair.publicKey) else {
            throw BusSecurityError.missing(
                "this process's bus key is not on the roster (expected as \(identity.userId))")
        }
        guard listed == identity else {
            throw BusSecurityError.missing(
                "the roster lists this process's key as \(listed.userId), but it runs as \(identity.userId)")
        }
        return BusSecurity(identity: identity, mode: .curve(pair, roster))
    }
}
