import Foundation
import GRDB
import LoomContract
import LoomStore

/// The gateway's records: what each provider was asked (the request log) and what it cost.
struct GatewayLedger: Sendable {
    let store: ServiceDatabase

    static func open(directory: URL) throws -> GatewayLedger {
        GatewayLedger(store: try ServiceDatabase.open(directory: directory, service: "gateway", migrations: register))
    }

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gateway-v1") { db in
            try db.execute(sql: """
                CREATE TABLE providerCall (
                    requestId TEXT PRIMARY KEY NOT NULL,
                    agent TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    request TEXT NOT NULL,
                    inputTokens INTEGER NOT NULL,
                    outputTokens INTEGER NOT NULL,
                    durationMs DOUBLE NOT NULL,
                    createdAt DOUBLE NOT NULL
                );
                CREATE INDEX providerCall_time ON providerCall(createdAt);
                """)
        }
        migrator.registerMigration("gateway-v2-outcomes") { db in
            try db.execute(sql: """
                ALTER TABLE providerCall ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';
                ALTER TABLE providerCall ADD COLUMN errorCode TEXT;
                ALTER TABLE providerCall ADD COLUMN error TEXT;
                ALTER TABLE providerCall ADD COLUMN cost DOUBLE;
                ALTER TABLE providerCall ADD COLUMN failedOver TEXT;
                CREATE INDEX providerCall_agent_time ON providerCall(agent, createdAt);
                """)
        }
        migrator.registerMigration("gateway-v3-content") { db in
            try db.execute(sql: "ALTER TABLE providerCall ADD COLUMN messageDigests TEXT")
            try ContentStore.createTable(db)
        }
    }

    /// Requests are stored by reference: the conversation and the tool schemas repeat from call
    /// to call, so each message and each request's remaining fields are stored once.
    static let content = ContentStore(sealing: nil)
    private static let reference = "content:"

    /// One completion request and its outcome: who answered with how many tokens at what cost,
    /// or why none did.
    struct Call: Sendable {
        var requestId: String
        var request: CompletionRequest
        /// The request without its messages, and each message, as stored text.
        var shellJSON: String
        var messageJSON: [String]
        var result: CompletionResult?
        var failure: Failure?
        var durationMs: Double

        init(requestId: String, request: CompletionRequest, result: CompletionResult?, failure: Failure?, durationMs: Double) throws {
            self.requestId = requestId
            self.request = request
            var shell = request
            shell.messages = []
            self.shellJSON = try WireCodec.encodeText(shell)
            self.messageJSON = try request.messages.map { try WireCodec.encodeText($0) }
            self.result = result
            self.failure = failure
            self.durationMs = durationMs
        }
    }

    /// Writes a call's row inside the caller's transaction (the reply cache's, so the answer and
    /// its ledger row commit together).
    static func record(_ call: Call, _ db: Database, at now: Date = Date()) throws {
        let result = call.result
        let shell = Self.reference + (try content.intern(db, call.shellJSON))
        let digests = try WireCodec.encodeText(try call.messageJSON.map { try content.intern(db, $0) })
        try db.execute(
            sql: """
                INSERT INTO providerCall (
                    requestId, agent, provider, model, request, inputTokens, outputTokens, durationMs, createdAt,
                    status, errorCode, error, cost, failedOver, messageDigests)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(requestId) DO NOTHING
                """,
            arguments: [
                call.requestId, call.request.agent, result?.provider ?? call.request.provider,
                result?.model ?? call.request.model ?? "", shell,
                result?.usage.inputTokens ?? 0, result?.usage.outputTokens ?? 0, call.durationMs, now.timeIntervalSince1970,
                result == nil ? "failed" : "ok", call.failure?.code, call.failure?.message, result?.usage.cost,
                result?.failedOver?.joined(separator: ","), digests,
            ])
    }

    /// Calls, tokens and cost per agent and provider in the query's period.
    func usage(_ query: UsageQuery) async throws -> [UsageReport.Row] {
        try await store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT agent, provider, COUNT(*) AS calls, SUM(status != 'ok') AS failures, SUM(inputTokens) AS input,
                           SUM(outputTokens) AS output, SUM(cost) AS cost
                    FROM providerCall
                    WHERE createdAt >= ? AND createdAt < ? AND (? IS NULL OR agent = ?)
                    GROUP BY agent, provider ORDER BY agent, provider
                    """,
                arguments: [query.since.timeIntervalSince1970, query.until.timeIntervalSince1970, query.agent, query.agent]
            ).map {
                UsageReport.Row(
                    agent: $0["agent"], provider: $0["provider"], calls: $0["calls"], failures: $0["failures"], inputTokens: $0["input"],
                    outputTokens: $0["output"], cost: $0["cost"])
            }
        }
    }

    /// The most recent requests, oldest first.
    func requests(limit: Int) async throws -> [CompletionRequest] {
        try await store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT request, messageDigests FROM providerCall ORDER BY createdAt DESC, rowid DESC LIMIT ?",
                arguments: [limit]
            ).reversed().map { row in try Self.request(db, stored: row["request"], digests: row["messageDigests"]) }
        }
    }

    /// A stored request made whole again; rows from before storage by reference hold it whole.
    private static func request(_ db: Database, stored: String, digests: String?) throws -> CompletionRequest {
        guard stored.hasPrefix(reference), let digests else {
            return try WireCodec.decodeStored(CompletionRequest.self, from: stored)
        }
        var request = try WireCodec.decodeStored(
            CompletionRequest.self, from: try content.body(db, String(stored.dropFirst(reference.count))))
        request.messages = try WireCodec.decodeStored([String].self, from: digests).map { digest in
            try WireCodec.decodeStored(ChatMessage.self, from: try content.body(db, digest))
        }
        return request
    }
}
