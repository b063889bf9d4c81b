import Foundation
import LoomContract
import Synchronization
import Testing

@testable import LoomOrchestrator

/// Streamed pieces of an answer: in order, and adding up to the whole answer even when the
/// answer arrives before its last pieces.
struct AnswerStreamsTests {
    /// What the streams wrote, in order.
    final class Written: Sendable {
        let texts = Mutex<[String]>([])
        var joined: String { texts.withLock { $0.joined() } }
    }

    private func streams() -> (AnswerStreams, Written) {
        let written = Written()
        return (AnswerStreams(append: { _, text in written.texts.withLock { $0.append(text) } }), written)
    }

    private let unmask: AnswerStreams.Unmask = { $0.replacingOccurrences(of: "[EMAIL_1]", with: "ana@example.com") }

    @Test func piecesOvertakenByTheAnswerAreWrittenAsOneLastPiece() async {
        let (streams, written) = streams()
        let writer = streams.start(requestId: "r1", executionId: "e1", unmask: unmask)
        streams.receive(CompletionDelta(executionId: "e1", requestId: "r1", index: 0, text: "Hello! "))
        streams.receive(CompletionDelta(executionId: "e1", requestId: "r1", index: 1, text: "Write to "))
        // Pieces 2 and 3 are still on their way when the whole answer comes in.
        await streams.finish(requestId: "r1", writer, answer: "Hello! Write to [EMAIL_1] today.", unmask: unmask)
        #expect(written.joined == "Hello! Write to ana@example.com today.")
        // Late pieces for a finished stream are dropped.
        streams.receive(CompletionDelta(executionId: "e1", requestId: "r1", index: 2, text: "[EMAIL_1]"))
        #expect(written.joined == "Hello! Write to ana@example.com today.")
    }

    @Test func aCompleteStreamGetsNothingMoreAndAnUnrelatedAnswerIsNotSpliced() async {
        let (streams, written) = streams()
        let writer = streams.start(requestId: "r2", executionId: "e2", unmask: unmask)
        streams.receive(CompletionDelta(executionId: "e2", requestId: "r2", index: 1, text: "world"))
        streams.receive(CompletionDelta(executionId: "e2", requestId: "r2", index: 0, text: "hello "))
        await streams.finish(requestId: "r2", writer, answer: "hello world", unmask: unmask)
        #expect(written.joined == "hello world")

        let (other, otherWritten) = self.streams()
        let second = other.start(requestId: "r3", executionId: "e3", unmask: unmask)
        other.receive(CompletionDelta(executionId: "e3", requestId: "r3", index: 0, text: "draft"))
        // The answer is not a continuation of what streamed (a tool call, say): nothing is added.
        await other.finish(requestId: "r3", second, answer: "final text", unmask: unmask)
        #expect(otherWritten.joined == "draft")
    }
}
