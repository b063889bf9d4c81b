import Foundation
import LoomBus
import LoomContract
import LoomStore
import Testing

/// Acknowledgements settle in memory first and reach the store in batches: a settled message
/// is never sent again while its write is pending, and every row ends up acknowledged.
@Suite(.serialized) struct AckSettlementTests {
    /// Long enough that no ACK on a loaded machine is overtaken by a timed resend: a duplicate
    /// here can only come from a settled row that was taken for due.
    static let patient = Backoff(base: .seconds(60), cap: .seconds(60))

    @Test func settledMessagesAreNotSentAgainAndEveryRowIsWritten() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: "tcp://127.0.0.1:*", peers: [:])
        defer { receiver.stop() }
        let sender = try await HopProcess(
            name: "sender", directory: directory.url, listen: nil, peers: ["receiver": receiver.endpoint],
            backoff: Self.patient)
        defer { sender.stop() }

        for round in 0..<4 {
            try await sender.enqueue(25, to: .peer("receiver"), prefix: "r\(round)")
            try await Task.sleep(for: .milliseconds(20))
        }

        #expect(try await eventually { try await sender.unacked() == 0 })
        #expect(receiver.deliveries["stored"] == 100)
        // A row settled in memory but not yet written looks due in the store; it must not go out.
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.deliveries["duplicate"] == 0)
        #expect(try await receiver.inboxCount() == 100)
    }

    @Test func aSenderRestartedAfterItsAcknowledgementsWereWrittenSendsNothingAgain() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await HopProcess(name: "receiver", directory: directory.url, listen: "tcp://127.0.0.1:*", peers: [:])
        defer { receiver.stop() }
        let first = try await HopProcess(
            name: "sender", directory: directory.url, listen: nil, peers: ["receiver": receiver.endpoint],
            backoff: Self.patient)
        try await first.enqueue(10, to: .peer("receiver"))
        #expect(try await eventually { try await first.unacked() == 0 })
        first.stop()

        let second = try await HopProcess(
            name: "sender", directory: directory.url, listen: nil, peers: ["receiver": receiver.endpoint])
        defer { second.stop() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.deliveries["stored"] == 10)
        #expect(receiver.deliveries["duplicate"] == 0)
    }
}
