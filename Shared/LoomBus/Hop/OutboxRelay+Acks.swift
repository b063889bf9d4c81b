import Foundation
import GRDB
import LoomContract
import LoomStore
import Synchronization

/// Acknowledgements. A `stored` or `duplicate` ACK for a message the relay has in flight is
/// settled in memory at once (the message is never sent again, its observer is told) and written
/// to the store in batches: one commit for every ACK of the last few milliseconds instead of one
/// each. Custody does not depend on that write: the receiver committed before it acknowledged,
/// and a settlement lost in a crash only makes the message go out once more after the restart,
/// which the receiver answers as a duplicate.
extension OutboxRelay {
    /// An acknowledgement settled in memory and not yet written.
    struct Settlement: Sendable {
        var rowIds: [Int64]
        var messageId: String
        var destination: String
        var anyDestination: String?
        var at: ContinuousClock.Instant
    }

    /// Settlements wait at most this long, or for this many more, before they are written.
    static let settleDelay = Duration.milliseconds(50)
    static let settleBatch = 64

    /// Records an acknowledgement from `from`; wire this into ``BusHandlers/acknowledged``.
    /// Returns whether it settled one of this outbox's rows: an ACK settles only a row sent to
    /// its sender's address, or an `any:<role>` row when the sender authenticated with that role.
    @discardableResult
    public func handle(_ ack: HopAck, from: PeerAddress) async -> Bool {
        let destination = from.description
        let anyDestination: String? =
            if node.engine.security.isAuthenticated {
                node.identity(of: from).map { "any:\($0.role.rawValue)" }
            } else {
                "any:%"
            }
        if ack.outcome == .stored || ack.outcome == .duplicate,
           settleInMemory(ack.messageId, from: destination, anyDestination: anyDestination) {
            finish(ack, from: destination)
            return true
        }
        let settled: Bool
        do {
            settled = try await database.write { db in
                switch ack.outcome {
                case .stored, .duplicate:
                    return try OutboxQueries.markAcked(
                        db, messageId: ack.messageId, destination: destination, anyDestination: anyDestination)
                case .rejected:
                    let reason = [ack.code, ack.detail].compactMap { $0 }.joined(separator: ": ")
                    return try OutboxQueries.deadLetter(
                        db, messageId: ack.messageId, destination: destination, anyDestination: anyDestination,
                        reason: reason)
                case .retryLater:
                    return false
                }
            }
        } catch {
            node.logger.error("could not record an acknowledgement", metadata: ["error": "\(error)"])
            return false
        }
        guard settled || ack.outcome == .retryLater else {
            node.counters.increment("acks.unmatched")
            return false
        }
        if ack.outcome == .rejected {
            node.counters.increment("outbox.deadLettered")
            node.logger.warning("\(destination) rejected \(ack.messageId)", metadata: ["code": "\(ack.code ?? "")"])
        }
        if ack.outcome != .retryLater { finish(ack, from: destination) }
        wake()
        return settled
    }

    /// Calls `observer` once when `messageId` is acknowledged by `destination`.
    public func onAcknowledged(
        messageId: String, destination: PeerAddress, _ observer: @escaping @Sendable (HopAck) -> Void
    ) {
        acknowledgements.withLock { $0["\(messageId)|\(destination)"] = observer }
    }

    /// Settles the rows in flight to `destination` under `messageId`, if there are any.
    private func settleInMemory(_ messageId: String, from destination: String, anyDestination: String?) -> Bool {
        let now = ContinuousClock.now
        let ids = inFlight.withLock { inFlight -> [Int64] in
            let ids = inFlight.filter { $0.value.messageId == messageId && $0.value.address == destination
                && !$0.value.acknowledged }.map(\.key)
            for id in ids {
                inFlight[id]?.acknowledged = true
                inFlight[id]?.until = now + .seconds(86_400)
            }
            return ids
        }
        guard !ids.isEmpty else { return false }
        let settlement = Settlement(
            rowIds: ids, messageId: messageId, destination: destination, anyDestination: anyDestination, at: now)
        // The relay is told when a batch starts (to time its write) and when one is full.
        let tell = settling.withLock { settling -> Bool in
            settling.append(settlement)
            return settling.count == 1 || settling.count >= Self.settleBatch
        }
        if tell { wake() }
        return true
    }

    private func finish(_ ack: HopAck, from destination: String) {
        let observer = acknowledgements.withLock { $0.removeValue(forKey: "\(ack.messageId)|\(destination)") }
        observer?(ack)
    }

    /// Writes the settlements that are due (all of them with `force`) in one transaction;
    /// returns when the rest are due.
    func flushSettled(force: Bool = false) async throws -> Date? {
        let now = ContinuousClock.now
        let batch = settling.withLock { settling -> [Settlement] in
            guard let oldest = settling.first?.at else { return [] }
            guard force || settling.count >= Self.settleBatch || now - oldest >= Self.settleDelay else { return [] }
            defer { settling.removeAll() }
            return settling
        }
        if batch.isEmpty {
            let oldest = settling.withLock { $0.first?.at }
            return oldest.map { Date().addingTimeInterval(($0 + Self.settleDelay - now).seconds) }
        }
        defer {
            // Written or not, they leave the in-flight set: a row whose settlement was lost is due
            // again and goes out once more.
            let ids = Set(batch.flatMap(\.rowIds))
            inFlight.withLock { inFlight in inFlight = inFlight.filter { !ids.contains($0.key) } }
        }
        do {
            try await database.write { db in
                for settlement in batch {
                    try OutboxQueries.markAcked(
                        db, messageId: settlement.messageId, destination: settlement.destination,
                        anyDestination: settlement.anyDestination)
                }
            }
        } catch {
            node.logger.error(
                "could not record acknowledgements", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            throw error
        }
        return nil
    }
}
