import Foundation
import GRDB
import LoomBus
import LoomContract
import LoomStore

/// Control calls: health, sessions (list, show, close), held replies, execution replies, and
/// ingress presence.
extension Router {
    func answer(_ envelope: Envelope, from: PeerAddress) async -> any MessagePayload {
        do {
            switch envelope.body {
            case is PresenceAnnouncement:
                // The sender's own routing id, which admission bound to its key, not the name it gives.
                if case .client(let instance) = from { ingresses.saw(instance) }
                return PresenceAcknowledged()
            case is HealthQuery:
                return HealthResult(service: "router", instance: node.instance, counters: try await counters())
            case let query as SessionListQuery:
                let limit = min(max(query.limit, 1), 1000)
                return SessionListResult(sessions: try await database.store.read { db in
                    try InteractionSession.fetchAll(db, sql: "SELECT * FROM session ORDER BY lastActivityAt DESC LIMIT ?", arguments: [limit])
                })
            case let query as SessionShowQuery:
                let database = database
                return try await database.store.read { db in
                    SessionShowResult(
                        session: try InteractionSession.fetchOne(db, key: query.sessionId),
                        messages: try database.messages(
                            db, sql: "SELECT * FROM message WHERE sessionId = ? ORDER BY createdAt, rowid", arguments: [query.sessionId]))
                }
            case let request as SessionCloseRequest:
                return try await close(request.sessionId)
            case let query as DraftListQuery:
                let limit = min(max(query.limit, 1), 1000)
                let database = database
                return DraftListResult(drafts: try await database.store.read { db in
                    try database.messages(
                        db, sql: "SELECT * FROM message WHERE deliveryStatus = 'draft' ORDER BY createdAt LIMIT ?", arguments: [limit])
                })
            case let decision as DraftDecision:
                return try await decide(decision)
            case let query as ExecutionReplyQuery:
                let database = database
                return ExecutionReplyResult(message: try await database.store.read { db in
                    try database.message(
                        db, sql: "SELECT * FROM message WHERE executionId = ? AND direction = 'outbound'", arguments: [query.executionId])
                })
            default:
                return Failure(code: "unsupported_request", message: "the router does not answer \(envelope.kind.rawValue)")
            }
        } catch {
            return Failure(code: "store_unavailable", message: "\(error)", retryable: true)
        }
    }

    /// Closes a session on purpose; closing a closed session changes nothing.
    private func close(_ sessionId: String) async throws -> any MessagePayload {
        try await database.store.write { db -> any MessagePayload in
            guard var session = try InteractionSession.fetchOne(db, key: sessionId) else {
                return Failure(code: "not_found", message: "no session '\(sessionId)'")
            }
            guard session.status == .active else { return SessionCloseResult(session: session, changed: false) }
            session.status = .closed
            session.rolloverReason = .explicitClose
            try session.update(db)
            return SessionCloseResult(session: session, changed: true)
        }
    }

    private func counters() async throws -> [String: Int] {
        var counters = node.counters.snapshot()
        let store = try await database.store.read { db in
            try OutboxQueries.healthCounters(db).merging([
                "sessions": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session") ?? 0,
                "messages": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0,
                "messages.held": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE deliveryStatus = 'draft'") ?? 0,
                "messages.failed": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE deliveryStatus = 'failed'") ?? 0,
            ]) { $1 }
        }
        counters.merge(store) { $1 }
        counters["ingress.live"] = ingresses.live.count
        return counters
    }
}
