import Foundation
import GRDB

/// Reads the tools service's ledger of side-effecting calls (`toolCall`, written in the same
/// transaction as the effect itself), read-only, from its SQLite file.
///
/// A ledger key is `<executionId>:<step>:<callId>`, so every row names the execution whose
/// tool call acted; the outcome column is sealed and not read.
enum SideEffectLedger {
    static func effects(dataDirectory: String, capability: String?) throws -> [ChaosFacts.Effect] {
        let file = URL(fileURLWithPath: dataDirectory, isDirectory: true)
            .appendingPathComponent("tools", isDirectory: true).appendingPathComponent("tools.sqlite")
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: file.path, configuration: configuration)
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT idempotencyKey, capability FROM toolCall")
        }
        try database.close()
        return rows.compactMap { row -> ChaosFacts.Effect? in
            let key: String = row["idempotencyKey"]
            let name: String = row["capability"]
            if let capability, name != capability { return nil }
            guard let executionId = key.split(separator: ":", maxSplits: 1).first else { return nil }
            return ChaosFacts.Effect(executionId: String(executionId), capability: name)
        }
    }
}
