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
    }

    func record(requestId: String, request: CompletionRequest, result: CompletionResult, durationMs: Double) async throws {
        let json = String(decoding: try WireCodec.makeEncoder().encode(request), as: UTF8.self)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO providerCall (requestId, agent, provider, model, request, inputTokens, outputTokens, durationMs, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(requestId) DO NOTHING
                    """,
                arguments: [
                    requestId, request.agent, result.provider, result.model, json, result.usage.inputTokens, result.usage.outputTokens,
                    durationMs, Date().timeIntervalSince1970,
                ])
        }
    }

    /// The most recent requests, oldest first.
    func requests(limit: Int) async throws -> [CompletionRequest] {
        let rows = try await store.read { db in
            try String.fetchAll(db, sql: "SELECT request FROM providerCall ORDER BY createdAt DESC, rowid DESC LIMIT ?", arguments: [limit])
        }
        let decoder = WireCodec.makeDecoder()
        return try rows.reversed().map { try decoder.decode(CompletionRequest.self, from: Data($0.utf8)) }
    }
}
