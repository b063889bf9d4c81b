import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomStore
import Testing

@testable import LoomTools

/// The ledger of side-effecting calls: outcomes sealed at rest, bound to their idempotency key,
/// and forgotten past the dedup window.
@Suite struct OutcomeLedgerTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-tools-\(UUID().uuidString)")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func open() throws -> RecordStore {
        try RecordStore.open(
            directory: directory, seed: RecordStoreSeed(),
            outcomes: try SealedColumn(key: Data(repeating: 9, count: 32)))
    }

    @Test func outcomesAreSealedAtRestAndReplayForTheirKeyOnly() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = try open()
        let outcome = ToolCallResult(success: true, result: .object(["email": .string("ana@example.com")]))
        try await records.store.write { db in
            try records.record(outcome, db, idempotencyKey: "key-1", capability: "update_contact", at: now)
            try records.record(outcome, db, idempotencyKey: "key-2", capability: "update_contact", at: now)
        }
        let stored = try await records.store.read { db in
            try String.fetchAll(db, sql: "SELECT outcome FROM toolCall")
        }
        #expect(stored.count == 2 && stored.allSatisfy { SealedColumn.isSealed($0) && !$0.contains("ana@example.com") })
        let replayed = try await records.store.read { db in try records.recordedOutcome(db, idempotencyKey: "key-1") }
        #expect(replayed == outcome)
        #expect(try await records.store.read { db in try records.recordedOutcome(db, idempotencyKey: "key-3") } == nil)

        // An outcome moved under another key does not open.
        try await records.store.write { db in
            try db.execute(
                sql: """
                    UPDATE toolCall SET outcome = (SELECT outcome FROM toolCall WHERE idempotencyKey = 'key-1')
                    WHERE idempotencyKey = 'key-2'
                    """)
        }
        await #expect(throws: (any Error).self) {
            try await records.store.read { db in try records.recordedOutcome(db, idempotencyKey: "key-2") }
        }
    }

    @Test func outcomesPastTheDedupWindowAreForgotten() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = try open()
        try await records.store.write { db in
            for (key, days) in [("old", 40.0), ("recent", 3)] {
                try records.record(
                    ToolCallResult(success: true), db, idempotencyKey: key, capability: "post_note",
                    at: now.addingTimeInterval(-days * 86_400))
            }
        }
        #expect(try await records.forgetOutcomes(before: now.addingTimeInterval(-30 * 86_400), limit: 10) == 1)
        let left = try await records.store.read { db in
            try String.fetchAll(db, sql: "SELECT idempotencyKey FROM toolCall")
        }
        #expect(left == ["recent"])
    }
}
