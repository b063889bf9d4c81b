import Foundation
import LoomContract
import LoomStore
import Synchronization

/// Makes a served call idempotent by caller, kind and request id.
///
/// The key names the caller (its routing id, bound to its key) and the kind, so one caller
/// cannot plant an answer under another caller's future request id.
///
/// The first answer to a request id is committed to the callee's own store; a repeat (the
/// caller's retry after a lost reply, or after its own restart) gets that stored answer. A
/// repeat that arrives while the first is still running waits for the same result.
public final class ReplyDeduplicator: Sendable {
    private let database: ServiceDatabase
    private let codec: WireCodec
    private let running = Mutex<[String: Task<any MessagePayload, Never>]>([:])

    public init(database: ServiceDatabase, codec: WireCodec = WireCodec()) {
        self.database = database
        self.codec = codec
    }

    public func serve(
        _ request: Envelope, from caller: PeerAddress, _ work: @escaping @Sendable () async -> any MessagePayload
    ) async -> any MessagePayload {
        let requestId = "\(caller.name)\u{1F}\(request.kind.rawValue)\u{1F}\(request.id)"
        if let stored = try? await database.read({ db in try ReplyCache.reply(db, requestId: requestId) }),
            let envelope = try? codec.decode(stored)
        {
            return envelope.body
        }
        let task = running.withLock { running -> Task<any MessagePayload, Never> in
            if let existing = running[requestId] { return existing }
            let task = Task { await self.runAndStore(request, key: requestId, work) }
            running[requestId] = task
            return task
        }
        let result = await task.value
        running.withLock { _ = $0.removeValue(forKey: requestId) }
        return result
    }

    private func runAndStore(
        _ request: Envelope, key requestId: String, _ work: @Sendable () async -> any MessagePayload
    ) async -> any MessagePayload {
        let result = await work()
        // A retryable failure is not an answer: the next attempt should do the work again.
        if let failure = result as? Failure, failure.retryable { return result }
        let stored = request.derived(id: MessageID.derived("rep", from: request.id), body: result)
        if let data = try? codec.encode(stored) {
            let kind = request.kind.rawValue
            try? await database.write { db in try ReplyCache.store(db, requestId: requestId, kind: kind, reply: data) }
        }
        return result
    }
}
