import Foundation
import LoomContract
import Synchronization

/// How a process takes part in the bus: as an authenticated CURVE member with its own key
/// pair and the roster of everyone else's public keys, or (only when the operator says
/// `bus.insecure: true`) over plain TCP with nobody authenticated.
public struct BusSecurity: Sendable {
    public enum Mode: Sendable {
        case curve(CurveKeyPair, RosterStore)
        case insecure
    }

    /// Who this process is; in CURVE mode the roster says the same for its key.
    public let identity: BusIdentity
    public let mode: Mode

    public init(identity: BusIdentity, mode: Mode) {
        self.identity = identity
        self.mode = mode
    }

    /// Plain TCP: no key, no authentication, no authorization. Tests of the bus itself and
    /// deployments that set `bus.insecure: true`.
    public static func insecure(_ identity: BusIdentity) -> BusSecurity {
        BusSecurity(identity: identity, mode: .insecure)
    }

    public var isAuthenticated: Bool {
        if case .curve = mode { true } else { false }
    }

    var keyPair: CurveKeyPair? {
        if case .curve(let pair, _) = mode { pair } else { nil }
    }

    /// The roster a CURVE process checks keys against; nil when insecure.
    public var rosterStore: RosterStore? { roster }

    var roster: RosterStore? {
        if case .curve(_, let roster) = mode { roster } else { nil }
    }
}

/// The roster in force, replaceable while the process runs, so a key can be added or
/// revoked without a restart: new connections are checked against the new roster at once.
public final class RosterStore: Sendable {
    private let current: Mutex<BusRoster>
    private let source: @Sendable () throws -> String

    /// - Parameter source: reads the roster text (a file, an environment variable).
    public init(source: @escaping @Sendable () throws -> String) throws {
        self.source = source
        current = Mutex(try BusRoster(parsing: try source()))
    }

    public init(_ roster: BusRoster) {
        source = { roster.text }
        current = Mutex(roster)
    }

    public var roster: BusRoster { current.withLock { $0 } }

    public func member(publicKey: String) -> BusIdentity? { current.withLock { $0.member(publicKey: publicKey) } }

    /// Reads the source again; returns whether the roster changed. A source that no longer
    /// parses leaves the roster as it was and throws, so a typo never locks everyone out.
    @discardableResult
    public func reload() throws -> Bool {
        let fresh = try BusRoster(parsing: try source())
        return current.withLock { roster in
            guard roster != fresh else { return false }
            roster = fresh
            return true
        }
    }
}
