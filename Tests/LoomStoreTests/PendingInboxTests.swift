import Foundation
import GRDB
import LoomStore
import Testing

/// A restart or a wake must see every pending message, however many wait, and read each
/// payload only when asked for it.
@Suite struct PendingInboxTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-pending-\(UUID().uuidString)")

    @Test func everyPendingMessageIsListedOldestFirstWithoutALimit() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServiceDatabase.open(
            directory: directory, service: "orchestrator", sealing: try SealedColumn(key: Data(repeating: 5, count: 32)))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await database.write { db in
            for index in 0..<701 {
                _ = try db.recordInbox(
                    messageId: "m-\(index)", source: "peer:router", kind: "execution.request", payload: Data("p\(index)".utf8),
                    at: start.addingTimeInterval(Double(index)))
            }
            try db.markInboxProcessed(messageId: "m-3")
        }
        let (entries, payload, processed) = try await database.read { db in
            (try db.pendingInboxEntries(kind: "execution.request"), try db.inboxPayload(messageId: "m-700"),
             try db.inboxPayload(messageId: "m-3"))
        }
        #expect(entries.count == 700)
        #expect(entries.first?.messageId == "m-0")
        #expect(entries.last?.messageId == "m-700")
        #expect(!entries.contains { $0.messageId == "m-3" })
        #expect(payload == Data("p700".utf8))
        #expect(processed == nil)
    }
}
