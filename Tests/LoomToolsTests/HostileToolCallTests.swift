import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomStore
import Testing

@testable import LoomTools

/// What a tool call does with arguments a hostile model sends and with a store that fails:
/// a structured failure, never a trap, and never a side effect counted that did not commit.
@Suite struct HostileToolCallTests {
    static let compose = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("compose")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-tools-\(UUID().uuidString)")

    func runner(unboundedLimit: Bool = false) throws -> ToolRunner {
        var metadata = try LoomMetadata.load(directory: Self.compose)
        if unboundedLimit {
            // The schema sets no bounds, so only the action itself stands between the number and Int(_:).
            metadata.capabilities["query_records"]?.parameters = .object([
                "type": .string("object"),
                "properties": .object([
                    "objectType": .object(["type": .string("string")]), "limit": .object(["type": .string("number")]),
                ]),
            ])
        }
        let records = try RecordStore.open(
            directory: directory, seed: metadata.records, outcomes: try SealedColumn(key: Data(repeating: 7, count: 32)))
        return ToolRunner(records: records, metadata: metadata)
    }

    @Test(arguments: [1e300, -5, 2.5, -1e300, 9_223_372_036_854_775_807.0])
    func anUnrepresentableCountIsRefusedNotTrappedOn(_ limit: Double) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tools = try runner(unboundedLimit: true)
        let result = await tools.run(ToolCallRequest(
            capability: "query_records", arguments: .object(["objectType": .string("case"), "limit": .number(limit)]),
            idempotencyKey: "k", executionId: "exe"))
        #expect(!result.success)
        #expect(result.code == "invalid_arguments")
    }

    @Test func aWholeCountStillWorks() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tools = try runner(unboundedLimit: true)
        let result = await tools.run(ToolCallRequest(
            capability: "query_records", arguments: .object(["objectType": .string("case"), "limit": .number(1)]),
            idempotencyKey: "k", executionId: "exe"))
        #expect(result.success)
        guard case .object(let answer)? = result.result else {
            Issue.record("no result object")
            return
        }
        #expect(answer["count"] == .number(1))
    }

    @Test func aFullDiskIsARetryableFailureAndNothingIsCountedAsDone() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tools = try runner()
        // SQLite's own "database or disk is full": no page beyond those the file already has.
        try await tools.records.store.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let note = ToolCallRequest(
            capability: "post_case_note",
            arguments: .object(["recordId": .string("C-1001"), "text": .string(String(repeating: "x", count: 1900))]),
            idempotencyKey: "note-1", executionId: "exe")
        var result = await tools.run(note)
        for index in 0..<40 where result.success {
            // Fill whatever free pages remain until the store refuses.
            result = await tools.run(ToolCallRequest(
                capability: "post_case_note", arguments: note.arguments, idempotencyKey: "fill-\(index)", executionId: "exe"))
        }
        #expect(!result.success)
        #expect(result.code == "store_unavailable")
        #expect(result.retryable)
        let performed = tools.sideEffectsPerformed
        let recorded = try await tools.records.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM toolCall") ?? 0 }
        #expect(performed == recorded)
    }
}
