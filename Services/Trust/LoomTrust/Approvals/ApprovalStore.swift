import Crypto
import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomStore

/// Pending and decided approvals, in the trust service's database so they survive a restart
/// of any service. Every access first expires what is due (``expireDue``): pending approvals
/// past their time become `expired`, each audited, in the same transaction as the read.
struct ApprovalStore: Sendable {
    let store: ServiceDatabase
    let policy: ApprovalPolicy
    let environment: [String: String]

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trust-v4-approvals") { db in
            try db.execute(sql: """
                CREATE TABLE approval (
                    id TEXT PRIMARY KEY NOT NULL,
                    executionId TEXT NOT NULL,
                    sessionId TEXT,
                    agent TEXT NOT NULL,
                    capability TEXT NOT NULL,
                    argumentsHash TEXT NOT NULL,
                    arguments TEXT NOT NULL,
                    principal TEXT NOT NULL,
                    route TEXT NOT NULL,
                    approvers TEXT NOT NULL,
                    status TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    expiresAt DOUBLE NOT NULL,
                    decidedBy TEXT,
                    decidedAt DOUBLE,
                    reason TEXT
                );
                CREATE INDEX approval_status ON approval(status, createdAt);
                """)
        }
    }

    struct Refusal: Error, CustomStringConvertible {
        var code: String
        var description: String
    }

    /// Opens the approval (once) and returns its current state.
    func open(_ request: ApprovalOpenRequest, now: Date = Date()) async throws -> ApprovalRecord {
        guard let route = policy.route(capability: request.capability, agent: request.agent) else {
            throw Refusal(code: "no_approval_route", description: "no approval route covers \(request.capability) for \(request.agent)")
        }
        let expiry = route.expiresAfterSeconds ?? policy.expiresAfterSeconds
        return try await store.write { db in
            let arguments = String(decoding: try JSONEncoder().encode(request.arguments), as: UTF8.self)
            let approvers = String(decoding: try JSONEncoder().encode(route.approvers), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO approval (id, executionId, sessionId, agent, capability, argumentsHash, arguments, principal, route, approvers,
                                          status, createdAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT(id) DO NOTHING
                    """,
                arguments: [
                    request.id, request.executionId, request.sessionId, request.agent, request.capability, request.argumentsHash, arguments,
                    request.principal, route.name, approvers, now.timeIntervalSince1970, now.addingTimeInterval(expiry).timeIntervalSince1970,
                ])
            if db.changesCount > 0 {
                try AuditLog.append(
                    db, category: "approval", executionId: request.executionId, subject: "requested:\(request.capability)",
                    detail: ["approval": request.id, "route": route.name, "argumentsHash": request.argumentsHash, "principal": request.principal])
            }
            try Self.expireDue(db, now: now)
            return try Self.record(db, id: request.id)
        }
    }

    func records(ids: [String], now: Date = Date()) async throws -> [ApprovalRecord] {
        try await store.write { db in
            try Self.expireDue(db, now: now)
            // Unknown ids are left out; a failing read fails the whole answer.
            return try ids.compactMap { id in
                do { return try Self.record(db, id: id) } catch let refusal as Refusal where refusal.code == "unknown_approval" {
                    return nil
                }
            }
        }
    }

    /// The approvals routed to the token's groups, newest first.
    func list(status: ApprovalRecord.Status?, limit: Int, token: String, now: Date = Date()) async throws -> [ApprovalRecord] {
        let groups = Set(groups(holding: token))
        guard !groups.isEmpty else {
            throw Refusal(code: "approver_token_invalid", description: "the token does not belong to any approver group")
        }
        return try await store.write { db in
            try Self.expireDue(db, now: now)
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM approval WHERE (? IS NULL OR status = ?) ORDER BY createdAt DESC LIMIT 5000",
                arguments: [status?.rawValue, status?.rawValue])
            return try ids.map { try Self.record(db, id: $0) }.filter { !groups.isDisjoint(with: $0.approvers) }.prefix(limit).map { $0 }
        }
    }

    /// The approver groups a token belongs to.
    func groups(holding token: String) -> [String] {
        policy.approvers.filter { _, group in
            group.tokens.contains { $0.resolve(environment: environment).map { Self.constantTimeEqual($0, token) } ?? false }
        }.map(\.key).sorted()
    }

    /// Records an approver's decision, if the token belongs to one of the approval's groups and
    /// it is still pending.
    func decide(_ request: ApprovalDecisionRequest, now: Date = Date()) async throws -> ApprovalRecord {
        let holding = groups(holding: request.token)
        return try await store.write { db in
            try Self.expireDue(db, now: now)
            let record = try Self.record(db, id: request.id)
            guard let group = record.approvers.first(where: holding.contains) else {
                throw Refusal(code: "approver_token_invalid", description: "the token does not belong to an approver of this request")
            }
            guard record.status == .pending else {
                throw Refusal(code: "approval_closed", description: "the approval is already \(record.status.rawValue)")
            }
            let decidedBy = request.actor.map { "\(group):\($0)" } ?? group
            let status: ApprovalRecord.Status = request.approve ? .approved : .rejected
            try db.execute(
                sql: "UPDATE approval SET status = ?, decidedBy = ?, decidedAt = ?, reason = ? WHERE id = ?",
                arguments: [status.rawValue, decidedBy, now.timeIntervalSince1970, request.reason, request.id])
            try AuditLog.append(
                db, category: "approval", executionId: record.executionId, subject: "\(status.rawValue):\(record.capability)",
                detail: ["approval": record.id, "decidedBy": decidedBy, "argumentsHash": record.argumentsHash, "reason": request.reason ?? ""])
            return try Self.record(db, id: request.id)
        }
    }

    /// Pending approvals past their time become `expired`, each with an audit entry.
    static func expireDue(_ db: Database, now: Date) throws {
        let due = try Row.fetchAll(
            db, sql: "SELECT id, executionId, capability, argumentsHash FROM approval WHERE status = 'pending' AND expiresAt <= ?",
            arguments: [now.timeIntervalSince1970])
        for row in due {
            let id: String = row["id"]
            try db.execute(sql: "UPDATE approval SET status = 'expired', decidedAt = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, id])
            try AuditLog.append(
                db, category: "approval", executionId: row["executionId"], subject: "expired:\(row["capability"] as String)",
                detail: ["approval": id, "argumentsHash": row["argumentsHash"]])
        }
    }

    static func record(_ db: Database, id: String) throws -> ApprovalRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ?", arguments: [id]) else {
            throw Refusal(code: "unknown_approval", description: "no approval '\(id)'")
        }
        let decoder = JSONDecoder()
        return ApprovalRecord(
            id: row["id"], executionId: row["executionId"], sessionId: row["sessionId"], agent: row["agent"], capability: row["capability"],
            argumentsHash: row["argumentsHash"],
            arguments: (try? decoder.decode(JSONValue.self, from: Data((row["arguments"] as String).utf8))) ?? .null,
            principal: row["principal"], route: row["route"],
            approvers: (try? decoder.decode([String].self, from: Data((row["approvers"] as String).utf8))) ?? [],
            status: ApprovalRecord.Status(rawValue: row["status"]) ?? .pending, createdAt: Date(timeIntervalSince1970: row["createdAt"]),
            expiresAt: Date(timeIntervalSince1970: row["expiresAt"]), decidedBy: row["decidedBy"],
            decidedAt: (row["decidedAt"] as Double?).map(Date.init(timeIntervalSince1970:)), reason: row["reason"])
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(SHA256.hash(data: Data(a.utf8)))
        let right = Array(SHA256.hash(data: Data(b.utf8)))
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
