import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging

/// Takes custody of execution requests, records the executions, and answers trace queries.
final class Orchestrator: Sendable {
    let database: OrchestratorDatabase
    let node: BusNode
    let relay: OutboxRelay
    let scheduler: TurnScheduler
    let events = ExecutionEventFeed()
    let directRuns: DirectRunner
    let answerStreams: AnswerStreams
    let logger: Logger

    init(database: OrchestratorDatabase, metadata: LoomMetadata, node: BusNode, logger: Logger) {
        self.database = database
        self.node = node
        self.logger = logger
        let relay = OutboxRelay(node: node, database: database.store)
        self.relay = relay
        let answerStreams = AnswerStreams(append: { [events] executionId, text in
            do {
                try await database.store.write { db in
                    try ExecutionEventLog.recordDelta(
                        db, executionId: executionId, text: text, sealing: database.sealing)
                }
                events.changed(executionId)
            } catch {
                logger.warning("could not record a streamed piece", metadata: ["execution": "\(executionId)", "error": "\(error)"])
            }
        })
        self.answerStreams = answerStreams
        let summarizer = SessionSummarizer(database: database, node: node, logger: logger, metadata: metadata)
        // Agent capabilities run children through the direct runner, which is built from the same
        // services: the box breaks the cycle between the two.
        let children = DirectRunnerBox()
        let services = ExecutionServices(
            database: database, metadata: metadata, node: node, logger: logger, callTimeout: .seconds(5),
            answerStreams: answerStreams, summarizer: summarizer,
            toolInvoker: ToolInvoker(
                node: node, callTimeout: .seconds(5), records: metadata.records,
                runChild: { request, parent in await children.run(request, parent: parent) }),
            now: { Date() }, sleep: { try await Task.sleep(for: $0) })
        let directRuns = DirectRunner(services: services, eventsChanged: { [events] in events.changed($0) })
        children.set(directRuns)
        self.directRuns = directRuns
        let driver = ExecutionDriver(
            services: services, outboxChanged: { relay.wake() }, eventsChanged: { [events] in events.changed($0) })
        self.scheduler = TurnScheduler(database: database, driver: driver, metadata: metadata, codec: node.codec, logger: logger)
    }

    var handlers: BusHandlers {
        BusHandlers(
            deliver: { envelope, from in await self.accept(envelope, from: from) },
            request: { envelope, _ in await self.answer(envelope) },
            acknowledged: { ack, from in await self.relay.handle(ack, from: from) },
            reconnected: { peer in await self.relay.peerReconnected(peer) })
    }

    /// Commits the request and its pending execution, then acknowledges; the scheduler runs it.
    func accept(_ envelope: Envelope, from: PeerAddress) async -> HopAck {
        if let delta = envelope.payload(CompletionDelta.self) {
            // Streamed text needs no custody: the whole answer follows in the completion's reply.
            answerStreams.receive(delta)
            return HopAck(messageId: envelope.id, outcome: .stored)
        }
        guard let request = envelope.payload(ExecutionRequest.self) else {
            return .rejected(envelope.id, code: "unexpected_kind", detail: "the orchestrator does not take \(envelope.kind.rawValue)")
        }
        do {
            let payload = try node.codec.encode(envelope)
            let stored = try await database.store.write { db -> Bool in
                guard try db.recordInbox(messageId: envelope.id, source: from.description, kind: envelope.kind.rawValue, payload: payload) else {
                    return false
                }
                // The trigger is filled in with the masked text once the trust layer has seen it.
                try AgentExecution(
                    id: request.executionId, agent: request.agent, sessionId: request.sessionId, channel: request.channel,
                    strategy: .conversational, turnId: request.turnId, trigger: ""
                ).insert(db, onConflict: .ignore)
                if let principal = request.principal {
                    try db.execute(
                        sql: "UPDATE execution SET principal = ? WHERE id = ?",
                        arguments: [principal, request.executionId])
                }
                try ExecutionEventLog.recordStatus(db, executionId: request.executionId, status: .pending)
                return true
            }
            if stored { scheduler.wake() }
            return HopAck(messageId: envelope.id, outcome: stored ? .stored : .duplicate, info: ["executionId": request.executionId])
        } catch {
            logger.error("could not commit an execution request", metadata: ["error": "\(error)"])
            return HopAck(messageId: envelope.id, outcome: .retryLater, code: "store_unavailable", detail: "\(error)")
        }
    }

    func answer(_ envelope: Envelope) async -> any MessagePayload {
        do {
            switch envelope.body {
            case is HealthQuery:
                var counters = node.counters.snapshot()
                let stored = try await database.store.read { db in
                    try OutboxQueries.healthCounters(db).merging([
                        "executions": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM execution") ?? 0,
                        "executions.unfinished": try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM execution WHERE status IN ('pending', 'running')") ?? 0,
                    ]) { $1 }
                }
                counters.merge(stored) { $1 }
                return HealthResult(service: "orchestrator", instance: node.instance, counters: counters)
            case let query as TraceQuery:
                return try await database.trace(of: query.executionId)
            case let query as ExecutionEventsQuery:
                return try await events(query)
            case let request as ExecutionCancelRequest:
                return try await cancel(request)
            case let request as DirectRunRequest:
                return await directRuns.run(request)
            default:
                return Failure(code: "unsupported_request", message: "the orchestrator does not answer \(envelope.kind.rawValue)")
            }
        } catch {
            return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
        }
    }

    /// Marks the execution cancelled if the lifecycle allows it; its driver notices at the next
    /// safe point and ends the turn there.
    private func cancel(_ request: ExecutionCancelRequest) async throws -> any MessagePayload {
        let error = ExecutionError(code: "CANCELLED", message: "cancelled by \(request.actor)")
        let errorJSON = try WireCodec.encodeText(error)
        let outcome = try await database.store.write { db -> (any MessagePayload)? in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM execution WHERE id = ?", arguments: [request.executionId])
                .flatMap(AgentExecution.Status.init(rawValue:))
            else { return nil }
            guard (try? status.after(.cancel)) != nil else { return ExecutionCancelResult(status: status, changed: false) }
            try db.execute(
                sql: """
                    UPDATE execution SET status = 'cancelled', error = ?, completedAt = ?
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .cancel))
                    """,
                arguments: [errorJSON, Date().timeIntervalSince1970, request.executionId])
            guard db.changesCount > 0 else { return ExecutionCancelResult(status: status, changed: false) }
            try ExecutionEventLog.recordStatus(db, executionId: request.executionId, status: .cancelled)
            return ExecutionCancelResult(status: .cancelled, changed: true)
        }
        guard let outcome else { return Failure(code: "not_found", message: "no execution '\(request.executionId)'") }
        events.changed(request.executionId)
        return outcome
    }

    /// Answers at once when there are events after the reader's last one or the execution has
    /// ended; otherwise holds the call until the next event or the reader's wait runs out.
    private func events(_ query: ExecutionEventsQuery) async throws -> ExecutionEventsResult {
        let deadline = ContinuousClock.now + .milliseconds(min(max(query.waitMilliseconds, 0), 25_000))
        while true {
            let result = try await database.store.read { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT status, principal FROM execution WHERE id = ?", arguments: [query.executionId])
                return ExecutionEventsResult(
                    status: (row?["status"] as String?).flatMap(AgentExecution.Status.init(rawValue:)),
                    events: try ExecutionEventLog.events(
                        db, executionId: query.executionId, after: query.afterSequence, sealing: self.database.sealing),
                    lastSequence: try Int.fetchOne(
                        db, sql: "SELECT MAX(sequence) FROM executionEvent WHERE executionId = ?",
                        arguments: [query.executionId]) ?? 0,
                    principal: row?["principal"] as String?)
            }
            let now = ContinuousClock.now
            // An unknown id may be an execution whose request is still on its way from the router.
            if !result.events.isEmpty || result.status?.isTerminal == true || now >= deadline {
                return result
            }
            // Short slices: an event committed between the read and the wait costs at most one slice.
            await events.wait(for: query.executionId, timeout: min(deadline - now, .milliseconds(250)))
        }
    }
}
