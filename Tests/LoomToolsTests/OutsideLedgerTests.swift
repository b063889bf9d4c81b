import Foundation
import LoomConfig
import LoomContract
import LoomStore
import Testing

@testable import LoomTools

/// The two-step ledger of `http_callout`: a refusal is recorded and answers every repeat of its
/// key; a failure that did nothing (a refused connection) is forgotten, so a retry acts; a key
/// left "unknown" by a crash is never acted on again.
@Suite struct OutsideLedgerTests {
    let fixture = LedgerFixture()

    func runner() throws -> (ToolRunner, RecordStore) {
        // A loopback port nothing listens on: the connection is refused, nothing is sent.
        let closed = LoopbackPort.closed()
        let base = #""action": "http_callout", "baseURL": "http://127.0.0.1:\#(closed)""#
        let (metadata, records) = try fixture.open(adding: [
            "refused": #"{"description": "Calls out.", "backend": {\#(base)}}"#,
            "closed": #"{"description": "Calls out.", "backend": {\#(base), "allowedNetworks": ["127.0.0.1/32"]}}"#,
        ])
        return (ToolRunner(records: records, metadata: metadata), records)
    }

    static func call(_ capability: String, _ key: String) -> ToolCallRequest {
        ToolCallRequest(capability: capability, arguments: .object([:]), idempotencyKey: key, executionId: "exe")
    }

    static func entries(_ records: RecordStore) async throws -> Int {
        try await records.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM toolCall") ?? 0 }
    }

    @Test func refusalsAreRecordedFailuresThatDidNothingAreForgotten() async throws {
        defer { fixture.remove() }
        let (tools, records) = try runner()
        let refused = await tools.run(Self.call("refused", "k1"))
        #expect(refused.code == "address_not_allowed" && !refused.replayed, "\(refused)")
        let again = await tools.run(Self.call("refused", "k1"))
        #expect(again.code == "address_not_allowed" && again.replayed)
        #expect(try await Self.entries(records) == 1)

        let unreachable = await tools.run(Self.call("closed", "k2"))
        #expect(unreachable.code == "unreachable" && unreachable.retryable, "\(unreachable)")
        #expect(try await Self.entries(records) == 1, "nothing was done: the key is free for the retry")
        let retried = await tools.run(Self.call("closed", "k2"))
        #expect(retried.code == "unreachable" && !retried.replayed)

        // As a crash leaves it: started, no outcome after it.
        try await records.store.write { db in
            try records.record(ToolRunner.unknownOutcome, db, idempotencyKey: "k3", capability: "closed")
        }
        let unknown = await tools.run(Self.call("closed", "k3"))
        #expect(unknown.code == "outcome_unknown" && unknown.replayed && !unknown.retryable)
        #expect(tools.sideEffectsPerformed == 0)
    }
}

/// A loopback port that was just free and is closed again.
enum LoopbackPort {
    static func closed() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
