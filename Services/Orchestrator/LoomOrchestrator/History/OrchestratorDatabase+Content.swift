import Foundation
import GRDB
import LoomContract
import LoomStore

/// Call requests are stored by reference: a model call's request holds the whole conversation
/// so far, and the next call repeats it with one or two messages more, under the same tool
/// schemas. Its messages and the rest of it (model, tools, limits) go to the content store, each
/// stored once (sealed, under a keyed digest). The call's own row keeps only the digests,
/// sealed and bound to the row like any request, so references cannot be moved between calls.
extension OrchestratorDatabase {
    /// A request ready to be written: sealed whole, or a model call's parts for the content store.
    struct StoredRequest: Sendable {
        var identity: String
        var sealed: String?
        var shell: String?
        var messages: [String] = []
    }

    /// The digests a model call's row holds.
    private struct References: Codable {
        var shell: String
        var messages: [String]
    }

    /// What starts the `request` column of a request kept in the content store.
    private static let reference = "content:"

    func storedRequest(_ executionId: String, _ call: ExecutionCall) throws -> StoredRequest {
        let identity = Self.identity(executionId, call.id) + ":request"
        guard case .complete(var completion) = call.request else {
            let sealed = try sealing.seal(Self.json(call.request), boundTo: identity)
            return StoredRequest(identity: identity, sealed: sealed)
        }
        let messages = try completion.messages.map { try Self.json($0) }
        completion.messages = []
        let shell = try Self.json(CallRequest.complete(completion))
        return StoredRequest(identity: identity, shell: shell, messages: messages)
    }

    /// The `request` column's value, storing a model call's parts on the way.
    static func column(
        _ db: Database, _ request: StoredRequest, sealing: SealedColumn, content: ContentStore
    ) throws -> String {
        if let sealed = request.sealed { return sealed }
        let references = References(
            shell: try content.intern(db, request.shell ?? ""),
            messages: try request.messages.map { try content.intern(db, $0) })
        return reference + (try sealing.seal(json(references), boundTo: request.identity))
    }

    /// A request read back whole.
    static func request(
        _ db: Database, executionId: String, callId: String, stored: String, sealing: SealedColumn,
        content: ContentStore
    ) throws -> CallRequest {
        let identity = identity(executionId, callId) + ":request"
        if stored.hasPrefix(reference) {
            let references = try WireCodec.decodeStored(
                References.self, from: try sealing.open(String(stored.dropFirst(reference.count)), boundTo: identity))
            let shell = try WireCodec.decodeStored(CallRequest.self, from: try content.body(db, references.shell))
            guard case .complete(var completion) = shell else { return shell }
            completion.messages = try references.messages.map { digest in
                try WireCodec.decodeStored(ChatMessage.self, from: try content.body(db, digest))
            }
            return .complete(completion)
        }
        return try WireCodec.decodeStored(CallRequest.self, from: try sealing.reveal(stored, boundTo: identity))
    }
}
