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
                            await self.driver.drive(work)
                            await self.finished(work, turn: true)
                        }
                    case .refuse(let work):
                        group.addTask {
                            await self.driver.refuse(work)
                            await self.finished(work, turn: false)
                        }
                    }
                }
            }
        }
    }

    private func finished(_ work: ExecutionDriver.Work, turn: Bool) {
        inHand.remove(work.envelope.id)
        for absorbed in work.absorbing { inHand.remove(absorbed.envelope.id) }
        if turn, runningTurns[work.request.sessionId]?.envelope.id == work.envelope.id {
            runningTurns[work.request.sessionId] = nil
            superseded.remove(work.request.executionId)
        }
        wake()
    }

    /// What can start now, session by session, oldest session first.
    private func due() async -> [Job] {
        let pending: [PendingInboxMessage]
        let paused: Set<String>
        do {
            (pending, paused) = try await database.store.read { db in
                (try db.pendingInbox(kind: MessageKind.executionRequest.rawValue),
                 Set(try String.fetchAll(db, sql: "SELECT executionId FROM executionPause")))
            }
        } catch {
            logger.error("cannot read pending work", metadata: ["error": "\(error)"])
            return []
        }
        var sessions: [String] = []
        var waiting: [String: [(work: ExecutionDriver.Work, receivedAt: Date)]] = [:]
        // A session whose turn waits for approval is busy until it is decided.
        var waitingForApproval: Set<String> = []
        for message in pending where !inHand.contains(message.messageId) {
            guard let payload = message.payload, let envelope = try? codec.decode(payload),
                let request = envelope.payload(ExecutionRequest.self), let source = PeerAddress(message.source)
            else {
                logger.error("dropping unreadable pending work", metadata: ["message": "\(message.messageId)"])
                try? await database.store.write { db in try db.markInboxProcessed(messageId: message.messageId) }
                continue
            }
            if paused.contains(request.executionId) {
                waitingForApproval.insert(request.sessionId)
                continue
            }
            if waiting[request.sessionId] == nil { sessions.append(request.sessionId) }
            waiting[request.sessionId, default: []].append((ExecutionDriver.Work(request: request, envelope: envelope, source: source), message.receivedAt))
        }
        var jobs: [Job] = []
        var nextCoalesce: Date?
        for session in sessions {
            guard let items = waiting[session], let newest = items.last else { continue }
            let coordination = metadata.agents[newest.work.request.agent]?.turnCoordination ?? TurnCoordination()
            if runningTurns[session] != nil || waitingForApproval.contains(session) {
                switch coordination.mode {
                case .enqueue, .coalesce:
                    continue
                case .reject:
                    jobs += items.map { .refuse($0.work) }
                case .interrupt:
                    // A turn waiting for approval is not interrupted; the message waits.
                    if let current = runningTurns[session], !superseded.contains(current.request.executionId) {
                        superseded.insert(current.request.executionId)
                        await driver.supersede(current.request.executionId, by: newest.work.request.executionId)
                    }
                    continue
                }
            } else {
                switch coordination.mode {
                case .enqueue:
                    jobs.append(.drive(items[0].work))
                case .reject:
                    jobs.append(.drive(items[0].work))
                    jobs += items.dropFirst().map { .refuse($0.work) }
                case .interrupt, .coalesce:
                    let settles = newest.receivedAt.addingTimeInterval(Double(coordination.windowMilliseconds) / 1000)
                    if coordination.mode == .coalesce, settles > Date() {
                        nextCoalesce = min(nextCoalesce ?? settles, settles)
                        continue
                    }
                    // The newest message leads; the ones before it are answered with it.
                    var lead = newest.work
                    lead.absorbing = items.dropLast().map(\.work)
                    jobs.append(.drive(lead))
                }
            }
        }
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

    /// Every second, while executions wait for approvals: ask the trust service which are
    /// decided or expired, and put those executions back to work. Polling keeps this correct
    /// whichever service restarted in between; the approvals themselves live in trust.
    private func watchApprovals() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            do {
                if try await resumeDecided() > 0 { wake() }
            } catch {
                logger.warning("cannot check pending approvals", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Resumes the executions whose approvals are all decided; returns how many.
    private func resumeDecided() async throws -> Int {
        let pauses = try await database.store.read { db in
            try Row.fetchAll(db, sql: "SELECT executionId, approvalIds FROM executionPause").map { row in
                (row["executionId"] as String, (try? JSONDecoder().decode([String].self, from: Data((row["approvalIds"] as String).utf8))) ?? [])
            }
        }
        guard !pauses.isEmpty else { return 0 }
        let statuses = try await driver.node.call(
            ApprovalStatusQuery(ids: pauses.flatMap(\.1)), to: .peer("trust"), expecting: ApprovalListResult.self, timeout: .seconds(5), attempts: 1)
        let decided = Set(statuses.approvals.filter { $0.status != .pending }.map(\.id))
        let ready = pauses.filter { !$0.1.isEmpty && $0.1.allSatisfy(decided.contains) }.map(\.0)
        guard !ready.isEmpty else { return 0 }
        try await database.store.write { db in
            for executionId in ready {
                try db.execute(
                    sql: "UPDATE execution SET status = 'running' WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .resume))",
                    arguments: [executionId])
                try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running)
                try db.execute(sql: "DELETE FROM executionPause WHERE executionId = ?", arguments: [executionId])
            }
        }
        logger.info("approvals decided; resuming", metadata: ["executions": "\(ready)"])
        return ready.count
    }

    /// Looks again when a coalescing burst has had time to settle.
    private func scheduleWake(at instant: Date) {
        coalesceTimer?.cancel()
        let delay = max(instant.timeIntervalSinceNow, 0) + 0.01
        coalesceTimer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            guard !Task.isCancelled else { return }
            self?.wake()
        }
    }
}
