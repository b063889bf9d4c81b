import Foundation
import LoomConfig
import LoomContract
import LoomStore

@testable import LoomTools

/// The sample metadata with test capabilities added, and a fresh record store in a temporary
/// directory, for tests of the tools' ledger.
struct LedgerFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-ledger-\(UUID().uuidString)")

    /// - Parameter capabilities: each capability as its JSON text.
    func open(adding capabilities: [String: String]) throws -> (LoomMetadata, RecordStore) {
        var metadata = try LoomMetadata.load(directory: Self.root.appendingPathComponent("compose"))
        for (name, json) in capabilities {
            metadata.capabilities[name] = try JSONDecoder().decode(CapabilityDefinition.self, from: Data(json.utf8))
        }
        let records = try RecordStore.open(
            directory: directory, seed: metadata.records, outcomes: try SealedColumn(key: Data(repeating: 7, count: 32))
        )
        return (metadata, records)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
