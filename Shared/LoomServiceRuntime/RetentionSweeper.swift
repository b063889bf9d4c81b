import Foundation
import LoomConfig
import LoomStore
import Logging

/// Prunes a service's data past the retention windows of `suite.yaml`, in the background and
/// in small batches: each batch is its own short transaction, so turns never wait long.
///
/// Every service's custody tables are pruned; a service adds its own steps (the router's
/// message bodies, the tools' ledger).
public struct RetentionSweeper: Sendable {
    /// Prunes up to `limit` rows past `cutoffs`; returns how many it removed.
    public typealias Step = @Sendable (_ cutoffs: RetentionCutoffs, _ limit: Int) async throws -> Int

    let database: ServiceDatabase
    let windows: [RetentionCutoffs.Kind: TimeInterval]
    let steps: [Step]
    let batch: Int
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(
        database: ServiceDatabase, policy: RetentionPolicy, logger: Logger, steps: [Step] = [], batch: Int = 200,
        interval: Duration = .seconds(300), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        windows = [
            .messageBodies: policy.messageBodies, .custody: policy.custody, .replyCache: policy.replyCache,
            .dedup: policy.dedup,
        ]
        self.steps = steps
        self.batch = batch
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// One sweep: batch after batch until nothing is past its window; returns rows removed.
    public func sweep() async throws -> Int {
        let cutoffs = RetentionCutoffs(now: clock(), windows: windows)
        let batch = batch
        var total = 0
        while !Task.isCancelled {
            var removed = try await database.write { db in try CustodyRetention.prune(db, cutoffs, limit: batch) }
            for step in steps { removed += try await step(cutoffs, batch) }
            total += removed
            if removed == 0 { break }
            await Task.yield()
        }
        return total
    }

    /// Sweeps at start-up and then every `interval` until the service stops.
    public var service: WorkerService {
        WorkerService {
            while !Task.isCancelled {
                do {
                    let removed = try await sweep()
                    if removed > 0 { logger.info("retention sweep removed \(removed) row(s) past their window") }
                } catch {
                    logger.warning("retention sweep failed; retrying later: \(error)")
                }
                // Cancellation (shutdown) ends the loop above; it is not a failure of the sweep.
                try? await Task.sleep(for: interval)
            }
        }
    }
}
