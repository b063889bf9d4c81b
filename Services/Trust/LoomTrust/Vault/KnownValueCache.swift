import GRDB
import Synchronization

/// The opened values of recently used scopes, so that finding known values in a text does not
/// open the whole scope's vault on every call. Each scope is brought up to date with one read
/// of the entries added since it was last seen (by row id), opening only those; the cache never
/// leaves this process, and the least recently used scopes are dropped beyond ``capacity``.
final class KnownValueCache: Sendable {
    private struct Scoped {
        var index: KnownValueIndex
        /// The highest vault row already in `index`.
        var watermark: Int64
        var lastUse: UInt64
    }

    private struct State {
        /// Keyed by region and scope.
        var scopes: [String: Scoped] = [:]
        var uses: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 1)
    }

    /// The index of `scope` with every entry the vault holds for it, as `db` sees it, with
    /// national phone layouts read in `region` (one index per scope and region).
    func index(_ db: Database, vault: TokenVault, scope: String, region: String? = nil) throws -> KnownValueIndex {
        let region = PIIDetector.normalizedRegion(region)
        let cached = state.withLock { state -> Scoped? in state.scopes[Self.key(scope, region)] }
        var scoped = cached ?? Scoped(index: KnownValueIndex(region: region), watermark: 0, lastUse: 0)
        let added = try vault.entries(db, scope: scope, after: scoped.watermark)
        for entry in added {
            scoped.index.add(.init(kind: entry.kind, original: entry.original, token: entry.token))
            scoped.watermark = max(scoped.watermark, entry.row)
        }
        let current = scoped
        state.withLock { state in
            state.uses &+= 1
            var kept = current
            // Another call may have brought the scope further meanwhile; keep the newer one.
            let key = Self.key(scope, region)
            if let other = state.scopes[key], other.watermark > current.watermark { kept = other }
            kept.lastUse = state.uses
            state.scopes[key] = kept
            if state.scopes.count > capacity,
                let oldest = state.scopes.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                state.scopes[oldest] = nil
            }
        }
        return current.index
    }

    private static func key(_ scope: String, _ region: String) -> String { "\(region):\(scope)" }
}
