import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging

/// Runs pending executions, one turn at a time per session and many sessions at once, and
/// applies each agent's turn coordination to messages that arrive while a session is busy:
/// `enqueue` waits, `reject` refuses at once, `interrupt` supersedes the running turn so the
/// next one answers both, `coalesce` lets a burst settle and answers it in one turn.
///
/// The inbox is the queue: a committed but unprocessed execution request is work to do, so a
/// restart finds exactly the turns that did not finish and drives them again.
actor TurnScheduler {
    private let database: OrchestratorDatabase
    private let driver: ExecutionDriver
    private let metadata: LoomMetadata
    private let codec: WireCodec
    private let logger: Logger
    /// Work in hand, by inbox message id.
    private var inHand: Set<String> = []
    /// The turn running in each session.
    private var runningTurns: [String: ExecutionDriver.Work] = [:]
    /// Running executions already told to stop for a newer message.
    private var superseded: Set<String> = []
    private var coalesceTimer: Task<Void, Never>?
    private var nextWakeAt: Date?
    /// Pending work already decoded, by inbox message id: a wake decodes only what is new.
    private var decoded: [String: ExecutionDriver.Work] = [:]
    /// Work that finished while a read of pending work was under way: that read may still list
    /// it, and it must not be driven again.
    private var finishedDuringRead: Set<String> = []
    /// Work whose store failed it, and when it may be tried again.
    private var coolingUntil: [String: Date] = [:]
    private var failures: [String: Int] = [:]
    private let signal = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    init(database: OrchestratorDatabase, driver: ExecutionDriver, metadata: LoomMetadata, codec: WireCodec, logger: Logger) {
        self.database = database
        self.driver = driver
        self.metadata = metadata
        self.codec = codec
        self.logger = logger
    }

    /// Something new is in the inbox.
    nonisolated func wake() { signal.continuation.yield() }

    enum Job: Sendable {
        /// Drive a turn (which first absorbs the messages it answers together).
        case drive(ExecutionDriver.Work)
        /// Refuse a message because the session is busy.
        case refuse(ExecutionDriver.Work)
    }

    func run() async {
        wake()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchApprovals() }
            for await _ in signal.stream {
                for job in await due() {
                    switch job {
                    case .drive(let work):
                        runningTurns[work.request.sessionId] = work
                        group.addTask {
                            let outcome = await self.driver.drive(work)
                            await self.finished(work, turn: true, outcome: outcome)
                        }
                    case .refuse(let work):
                        group.addTask {
                            let outcome = await self.driver.refuse(work)
                            await self.finished(work, turn: false, outcome: outcome)
                        }
                    }
                }
            }
        }
    }

    private func finished(_ work: ExecutionDriver.Work, turn: Bool, outcome: ExecutionDriver.Outcome) {
        for id in [work.envelope.id] + work.absorbing.map(\.envelope.id) {
            inHand.remove(id)
            finishedDuringRead.insert(id)
            decoded[id] = nil
        }
        if case .retryLater = outcome {
            // The store failed the turn (a full disk, say): try again later, not in a tight loop.
            let count = (failures[work.envelope.id] ?? 0) + 1
            failures[work.envelope.id] = count
            let delay = Double(min(250 << min(count - 1, 6), 15_000)) / 1000
            let until = Date().addingTimeInterval(delay)
            coolingUntil[work.envelope.id] = until
            scheduleWake(at: until)
        } else {
            failures[work.envelope.id] = nil
            coolingUntil[work.envelope.id] = nil
        }
        if turn, runningTurns[work.request.sessionId]?.envelope.id == work.envelope.id {
            runningTurns[work.request.sessionId] = nil
            superseded.remove(work.request.executionId)
        }
        wake()
    }

    /// What can start now, session by session, oldest session first.
    private func due() async -> [Job] {
        finishedDuringRead.removeAll()
        let cached = Set(decoded.keys)
        let entries: [(PendingInboxEntry, Data?)]
        let paused: Set<String>
        do {
            (entries, paused) = try await database.store.read { db in
                let entries = try db.pendingInboxEntries(kind: MessageKind.executionRequest.rawValue).map { entry in
                    (entry, cached.contains(entry.messageId) ? nil : try db.inboxPayload(messageId: entry.messageId))
                }
                return (entries, Set(try String.fetchAll(db, sql: "SELECT executionId FROM executionPause")))
            }
        } catch {
            logger.error("cannot read pending work", metadata: ["error": "\(error)"])
            scheduleWake(at: Date().addingTimeInterval(1))
            return []
        }
        let stillPending = Set(entries.map(\.0.messageId))
        decoded = decoded.filter { stillPending.contains($0.key) }
        let now = Date()
        var pending: [TurnPlan.Pending] = []
        // A session whose turn waits for approval (or cools down after a store failure) is busy.
        var held: Set<String> = []
        for (entry, payload) in entries where !inHand.contains(entry.messageId) && !finishedDuringRead.contains(entry.messageId) {
            guard let work = await work(entry, payload: payload) else { continue }
            let cooling = coolingUntil[entry.messageId].map { $0 > now } ?? false
            if paused.contains(work.request.executionId) || cooling {
                held.insert(work.request.sessionId)
                continue
            }
            pending.append(TurnPlan.Pending(work: work, receivedAt: entry.receivedAt))
        }
        let plan = TurnPlan.plan(
            pending: pending, held: held, running: runningTurns.mapValues(\.request.executionId), superseded: superseded,
            coordination: { [metadata] in metadata.agents[$0.request.agent]?.turnCoordination ?? TurnCoordination() }, now: now)
        for (running, newer) in plan.supersede {
            superseded.insert(running)
            await driver.supersede(running, by: newer)
        }
        let jobs = plan.jobs
        let nextCoalesce = plan.wakeAt
        for job in jobs {
            switch job {
            case .drive(let work):
                inHand.insert(work.envelope.id)
                for absorbed in work.absorbing { inHand.insert(absorbed.envelope.id) }
            case .refuse(let work):
                inHand.insert(work.envelope.id)
            }
        }
        if let nextCoalesce { scheduleWake(at: nextCoalesce) }
        return jobs
    }

    /// The pending message as work, decoded once; nil (and dropped, logged) when unreadable.
    private func work(_ entry: PendingInboxEntry, payload: Data?) async -> ExecutionDriver.Work? {
        if let work = decoded[entry.messageId] { return work }
        guard let payload, let envelope = try? codec.decode(payload), let request = envelope.payload(ExecutionRequest.self),
            let source = PeerAddress(entry.source)
        else {
            logger.error("dropping unreadable pending work", metadata: ["message": "\(entry.messageId)"])
            do {
                try await database.store.write { db in try db.markInboxProcessed(messageId: entry.messageId) }
            } catch {
                logger.error("could not drop unreadable pending work", metadata: ["message": "\(entry.messageId)", "error": "\(error)"])
            }
            return nil
        }
        let work = ExecutionDriver.Work(request: request, envelope: envelope, source: source)
        decoded[entry.messageId] = work
        return work
    }

    /// Every second, while executions wait for approvals: ask the trust service which are
    /// decided or expired, and put those executions back to work. Polling keeps this correct
    /// whichever service restarted in between; the approvals themselves live in trust.
    private func watchApprovals() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            do {
                if try await resumeDecided() > 0 { wake() }
            } catch is CancellationError {
                return  // stopping: nothing to report
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("cannot check pending approvals", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Resumes the executions whose approvals are all decided; returns how many.
    private func resumeDecided() async throws -> Int {
        let pauses = try await database.store.read { db in
            try Row.fetchAll(db, sql: "SELECT executionId, approvalIds FROM executionPause").map { row in
                (row["executionId"] as String, (try? WireCodec.decodeValue([String].self, from: Data((row["approvalIds"] as String).utf8))) ?? [])
            }
        }
        guard !pauses.isEmpty else { return 0 }
        let statuses = try await driver.node.call(
            ApprovalStatusQuery(ids: pauses.flatMap(\.1)), to: .peer("trust"), expecting: ApprovalListResult.self, timeout: .seconds(5), attempts: 1)
        let decided = Set(statuses.approvals.filter { $0.status != .pending }.map(\.id))
        let ready = pauses.filter { !$0.1.isEmpty && $0.1.allSatisfy(decided.contains) }.map(\.0)
        guard !ready.isEmpty else { return 0 }
        let sealing = database.sealing
        let now = Date()
        try await database.store.write { db in
            for executionId in ready {
                try db.execute(
                    sql: "UPDATE execution SET status = 'running' WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .resume))",
                    arguments: [executionId])
                guard db.changesCount > 0 else { continue }
                try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running)
                try db.execute(sql: "DELETE FROM executionPause WHERE executionId = ?", arguments: [executionId])
                try OrchestratorDatabase.recordResumption(db, executionId: executionId, sealing: sealing, at: now)
            }
        }
        logger.info("approvals decided; resuming", metadata: ["executions": "\(ready)"])
        return ready.count
    }

    /// Looks again at `instant` (a coalescing burst has settled, a failed turn has cooled down);
    /// the earliest pending instant wins.
    private func scheduleWake(at instant: Date) {
        if let planned = nextWakeAt, planned <= instant, planned > Date() { return }
        nextWakeAt = instant
        coalesceTimer?.cancel()
        let delay = max(instant.timeIntervalSinceNow, 0) + 0.01
        coalesceTimer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            guard !Task.isCancelled else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() {
        nextWakeAt = nil
        wake()
    }
}
