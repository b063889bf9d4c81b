import Foundation
import GRDB
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

    /// A served call's answer and the service's own record of it, committed in the same
    /// transaction as the stored reply: either both survive a crash or neither does.
    public struct Answer: Sendable {
        public var payload: any MessagePayload
        public var record: (@Sendable (Database) throws -> Void)?
        /// False for an answer that doing the work again would reproduce exactly (a mask call
        /// that minted no token): nothing is committed for it, not even the stored reply.
        public var storesReply: Bool

        public init(
            _ payload: any MessagePayload, record: (@Sendable (Database) throws -> Void)? = nil, storesReply: Bool = true
        ) {
            self.payload = payload
            self.record = record
            self.storesReply = storesReply
        }
    }

    public init(database: ServiceDatabase, codec: WireCodec = WireCodec()) {
        self.database = database
        self.codec = codec
    }

    public func serve(
        _ request: Envelope, from caller: PeerAddress, _ work: @escaping @Sendable () async -> any MessagePayload
    ) async -> any MessagePayload {
        await serve(request, from: caller, recording: { Answer(await work()) })
    }

    public func serve(
        _ request: Envelope, from caller: PeerAddress, recording work: @escaping @Sendable () async -> Answer
    ) async -> any MessagePayload {
        let requestId = "\(caller.name)\u{1F}\(request.kind.rawValue)\u{1F}\(request.id)"
        let stored: Data?
        do {
            stored = try await database.readOneStatement { db in try ReplyCache.reply(db, requestId: requestId) }
        } catch {
            // Unknown whether this request was answered before: doing the work again could act twice.
            return Self.storeUnavailable(error)
        }
        if let stored {
            do {
                return try codec.decode(stored).body
            } catch {
                return Failure(code: "reply_unreadable", message: "the stored answer to this request cannot be read: \(error)")
            }
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
        _ request: Envelope, key requestId: String, _ work: @Sendable () async -> Answer
    ) async -> any MessagePayload {
        let answer = await work()
        let result = answer.payload
        // A retryable failure is not an answer: the next attempt should do the work again.
        let final = answer.storesReply && !((result as? Failure)?.retryable ?? false)
        guard final || answer.record != nil else { return result }
        let stored = request.derived(id: MessageID.derived("rep", from: request.id), body: result)
        let kind = request.kind.rawValue
        do {
            let data = final ? try codec.encode(stored) : nil
            try await database.write { db in
                try answer.record?(db)
                if let data { try ReplyCache.store(db, requestId: requestId, kind: kind, reply: data) }
            }
        } catch {
            // An answer that is not stored cannot be repeated: the caller must not act on it and
            // then see a different one on its retry.
            return final ? Self.storeUnavailable(error) : result
        }
        return result
    }

    static func storeUnavailable(_ error: any Error) -> Failure {
        Failure(code: "store_unavailable", message: "the reply cache failed: \(error)", retryable: true)
    }
}
