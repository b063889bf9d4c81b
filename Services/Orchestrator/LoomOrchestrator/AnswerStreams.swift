import Foundation
import LoomContract
import Synchronization

/// Turns the gateway's streamed pieces of a model answer into `delta` events of the execution,
/// in order, with mask tokens turned back into the customer's values.
///
/// The driver opens a stream before asking for a completion and closes it when the answer is
/// in; pieces for a request that is not open (late or replayed) are dropped. Pieces can arrive
/// out of order (deliveries are handled concurrently), so each is put back in place by its
/// number. A mask token split across pieces (`[EMA` + `IL_1]`) is held back until it is whole.
final class AnswerStreams: Sendable {
    typealias Unmask = @Sendable (String) async throws -> String
    typealias Append = @Sendable (_ executionId: String, _ text: String) async -> Void

    private struct Open {
        var executionId: String
        var next = 0
        var waiting: [Int: String] = [:]
        var sink: AsyncStream<String>.Continuation
        /// The (masked) text yielded so far, in order.
        var received = ""
    }

    private let open = Mutex<[String: Open]>([:])
    private let append: Append

    init(append: @escaping Append) { self.append = append }

    /// Starts taking pieces for `requestId`; the returned task ends after `close` once
    /// everything received was written.
    func start(requestId: String, executionId: String, unmask: @escaping Unmask) -> Task<Void, Never> {
        let (pieces, sink) = AsyncStream<String>.makeStream()
        open.withLock { $0[requestId] = Open(executionId: executionId, sink: sink) }
        let append = self.append
        return Task {
            var held = ""
            for await piece in pieces {
                held += piece
                let (ready, rest) = Self.splitAtOpenToken(held)
                held = rest
                if !ready.isEmpty { await append(executionId, await Self.unmasked(ready, unmask)) }
            }
            if !held.isEmpty { await append(executionId, await Self.unmasked(held, unmask)) }
        }
    }

    /// Stops taking pieces for `requestId` and waits until what came was written.
    ///
    /// Pieces have no custody and may still be on their way when the whole answer arrives (the
    /// reply can overtake them on the bus). With `answer`, the whole answer's text, what the
    /// stream lacks of it is written as one last piece, so the events always add up to the reply.
    func finish(requestId: String, _ writer: Task<Void, Never>, answer: String? = nil, unmask: Unmask? = nil) async {
        let stream = open.withLock { $0.removeValue(forKey: requestId) }
        stream?.sink.finish()
        await writer.value
        guard let stream, let answer, let unmask, answer.count > stream.received.count,
              answer.hasPrefix(stream.received)
        else { return }
        await append(stream.executionId, await Self.unmasked(String(answer.dropFirst(stream.received.count)), unmask))
    }

    func receive(_ delta: CompletionDelta) {
        open.withLock { streams in
            guard var stream = streams[delta.requestId], stream.executionId == delta.executionId, delta.index >= stream.next else { return }
            stream.waiting[delta.index] = delta.text
            while let text = stream.waiting.removeValue(forKey: stream.next) {
                stream.sink.yield(text)
                stream.received += text
                stream.next += 1
            }
            streams[delta.requestId] = stream
        }
    }

    /// Text that can go out now, and a tail that may be the start of a mask token.
    static func splitAtOpenToken(_ text: String) -> (ready: String, held: String) {
        guard let bracket = text.lastIndex(of: "["), !text[bracket...].contains("]"), text.distance(from: bracket, to: text.endIndex) < 48 else {
            return (text, "")
        }
        return (String(text[..<bracket]), String(text[bracket...]))
    }

    private static func unmasked(_ text: String, _ unmask: Unmask) async -> String {
        guard text.contains("[") else { return text }
        return (try? await unmask(text)) ?? text
    }
}
