import Foundation
import GRDB
import LoomContract
import LoomStore
import Logging
import Synchronization

/// Drains a service's outbox: sends each unacknowledged message, resends with capped jittered
/// backoff until the destination acknowledges custody, and never gives up on its own.
///
/// Services write outbox rows inside their own transactions and then call ``wake()``; the relay
/// also wakes when the next resend falls due. A `rejected` acknowledgement moves the row to the
/// dead-letter table, the only way a message leaves the outbox unacknowledged.
public final class OutboxRelay: Sendable {
    let node: BusNode
    let database: ServiceDatabase
    private let backoff: Backoff
    /// At most this many deliveries wait for an ACK at once, far below the socket high-water mark.
    private let window: Int
    private let signal = WakeSignal()
    /// Rows sent and not yet acknowledged, by row id. A first send is known only here: its
    /// attempt is written to the store when the row backs off (a resend, or a failed send), so a
    /// message that is acknowledged at once costs the sender no commit for its bookkeeping.
    let inFlight = Mutex<[Int64: Sent]>([:])
    /// Acknowledgements settled in memory, written to the store in batches (``flushSettled()``).
    let settling = Mutex<[Settlement]>([])
    let acknowledgements = Mutex<[String: @Sendable (HopAck) -> Void]>([:])
    private let chooseInstance: @Sendable (_ role: String, _ messageId: String) -> PeerAddress?
    private let instanceUnreachable: @Sendable (PeerAddress) -> Void

    struct Sent: Sendable {
        var messageId: String
        /// The address it went to (for an `any:<role>` row, the instance chosen).
        var address: String
        /// When it is sent again if no acknowledgement came.
        var until: ContinuousClock.Instant
        /// Attempts so far, the ones not yet written to the store included.
        var attempts: Int
        /// Acknowledged, with the acknowledgement not yet written: never sent again.
        var acknowledged = false
    }

    /// - Parameters:
    ///   - chooseInstance: picks a live instance for rows addressed to `any:<role>`
    ///     (asynchronous channel replies that any ingress may send); nil while none is live.
    ///   - instanceUnreachable: told when a chosen instance could not be sent to, so the next
    ///     choice avoids it.
    public init(
        node: BusNode, database: ServiceDatabase, backoff: Backoff = Backoff(), window: Int = 128,
        chooseInstance: @escaping @Sendable (_ role: String, _ messageId: String) -> PeerAddress? = { _, _ in nil },
        instanceUnreachable: @escaping @Sendable (PeerAddress) -> Void = { _ in }
    ) {
        self.node = node
        self.database = database
        self.backoff = backoff
        self.window = window
        self.chooseInstance = chooseInstance
        self.instanceUnreachable = instanceUnreachable
    }

    /// Makes every unacknowledged row due now; call once at start-up, before ``run()``.
    public func resumeAfterRestart() async throws {
        let count = try await database.write { db in
            try OutboxQueries.makeDueNow(db)
            return try OutboxQueries.unackedCount(db)
        }
        if count > 0 { node.logger.info("resending \(count) unacknowledged outbox message(s)") }
    }

    /// A link's peer is back: its unacknowledged rows are resent now rather than at their
    /// backed-off time. Wire this into ``BusHandlers/reconnected``.
    public func peerReconnected(_ peer: PeerAddress) async {
        let destination = peer.description
        inFlight.withLock { inFlight in
            inFlight = inFlight.filter { $0.value.address != destination || $0.value.acknowledged }
        }
        do {
            try await database.write { db in try OutboxQueries.makeDueNow(db, destination: destination) }
        } catch {
            node.logger.error("could not make a reconnected peer's messages due", metadata: ["error": "\(error)"])
        }
        wake()
    }

    /// Asks the relay to look at the outbox now.
    public func wake() { signal.fire() }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let nextDue: Date?
            do {
                let flushAt = try await flushSettled()
                nextDue = try await [sendDue(), flushAt].compactMap { $0 }.min()
            } catch {
                // The relay stopping interrupts the read: that is no failure of the store. Any
                // other failure, a cancellation inside a send included, is tried again shortly.
                if Task.isCancelled { break }
                if !(error is CancellationError) {
                    node.logger.error("outbox relay failed to read its store", metadata: ["error": "\(error)"])
                }
                nextDue = Date().addingTimeInterval(1)
            }
            let wait = nextDue.map { max(0, $0.timeIntervalSinceNow) } ?? 5
            await signal.wait(upTo: .milliseconds(Int(min(wait, 5) * 1000) + 1))
        }
        // Stopping: what was settled in memory is written now rather than resent after a restart.
        do {
            _ = try await Task { try await self.flushSettled(force: true) }.value
        } catch {
            node.logger.warning("acknowledgements not written at stop; their messages are sent again at start")
        }
    }

    /// Sends what is due; returns when the next row falls due.
    private func sendDue() async throws -> Date? {
        let now = ContinuousClock.now
        let (waiting, sending, expired, earliest) = inFlight.withLock { inFlight in
            let waiting = inFlight.filter { $0.value.until > now }
            let sending = waiting.values.filter { !$0.acknowledged }
            return (Set(waiting.keys), sending.count, inFlight.filter { $0.value.until <= now }, sending.map(\.until).min())
        }
        // Settled rows still waiting for their write are left out of what is due, not of the window.
        let capacity = window - sending
        let limit = capacity + waiting.count
        // Rows waiting for an ACK still look due in the store (their first send was not written).
        let (due, stored) = try await database.read { db in
            let due = capacity > 0 ? try OutboxQueries.due(db, now: Date(), limit: limit) : []
            return (due, try OutboxQueries.nextDue(db, excluding: waiting))
        }
        if capacity > 0, due.count < limit {
            // An expired entry whose row is no longer due was settled some other way.
            let dueIds = Set(due.map(\.id))
            inFlight.withLock { inFlight in inFlight = inFlight.filter { $0.value.until > now || dueIds.contains($0.key) } }
        }
        for var row in due.filter({ !waiting.contains($0.id) }).prefix(max(capacity, 0)) {
            if let sent = expired[row.id] { row.attempts = max(row.attempts, sent.attempts) }
            await send(row)
        }
        guard let earliest else { return stored }
        let inMemory = Date().addingTimeInterval((earliest - ContinuousClock.now).seconds)
        return stored.map { min($0, inMemory) } ?? inMemory
    }

    private func send(_ row: OutboxRow) async {
        if let expiresAt = row.expiresAt, expiresAt < Date() {
            if await deadLetter(row, reason: "expired: its caller's deadline passed") {
                node.counters.increment("outbox.expired")
            }
            return
        }
        if row.destination.hasPrefix("any:") {
            // Chosen again on every attempt, so a dead instance's work moves to a live one.
            if let instance = chooseInstance(String(row.destination.dropFirst(4)), row.messageId) {
                if await send(row, to: instance) != .sent { instanceUnreachable(instance) }
            } else {
                forget(row)
                await recordAttempt(row, error: "no live instance for \(row.destination)")
            }
            return
        }
        guard let destination = PeerAddress(row.destination) else {
            await deadLetter(row, reason: "bad destination")
            return
        }
        await send(row, to: destination)
    }

    @discardableResult
    private func send(_ row: OutboxRow, to destination: PeerAddress) async -> SendOutcome {
        let outcome = await node.deliver(encoded: row.payload, to: destination)
        if row.attempts > 0 { node.counters.increment("outbox.resent") }
        guard outcome == .sent else {
            forget(row)
            await recordAttempt(row, error: "\(outcome)")
            return outcome
        }
        let delay = backoff.delay(afterAttempt: row.attempts)
        let sent = Sent(
            messageId: row.messageId, address: destination.description, until: ContinuousClock.now + delay,
            attempts: row.attempts + 1)
        inFlight.withLock { $0[row.id] = sent }
        // A resend is a row backing off: its attempts and next time go to the store, so a restart
        // keeps backing off instead of starting again from the first delay.
        if row.attempts > 0 { await recordAttempt(row, error: nil) }
        return outcome
    }

    private func forget(_ row: OutboxRow) {
        inFlight.withLock { _ = $0.removeValue(forKey: row.id) }
    }

    /// Moves a row that can never be delivered to the dead letters; a failed write leaves it
    /// for the next pass.
    @discardableResult
    private func deadLetter(_ row: OutboxRow, reason: String) async -> Bool {
        do {
            let moved = try await database.write { db in
                try OutboxQueries.deadLetter(db, messageId: row.messageId, destination: row.destination, reason: reason)
            }
            forget(row)
            guard moved else { return false }
            node.logger.warning("dead-lettered \(row.messageId) for \(row.destination)", metadata: ["reason": "\(reason)"])
            return true
        } catch {
            node.logger.error("could not dead-letter an outbox message", metadata: ["error": "\(error)"])
            await recordAttempt(row, error: "dead-letter failed: \(error)")
            return false
        }
    }

    private func recordAttempt(_ row: OutboxRow, error: String?) async {
        let delay = backoff.delay(afterAttempt: row.attempts)
        do {
            try await database.write { db in
                try OutboxQueries.markAttempt(
                    db, id: row.id, attempts: row.attempts + 1, nextAttemptAt: Date().addingTimeInterval(delay.seconds),
                    error: error)
            }
        } catch {
            node.logger.error("could not record an outbox attempt", metadata: ["error": "\(error)"])
        }
    }
}
