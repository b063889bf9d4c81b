import Foundation
import GRDB
import LoomContract
import LoomStore

/// Call requests are stored by reference: a model call's request holds the whole conversation
/// so far, and the next call repeats it with one or two messages more. Its messages go to the
/// content store, each stored once (sealed, under a keyed digest); the call's own row keeps
/// the rest of the request and the list of digests.
extension OrchestratorDatabase {
    /// A request ready to be written: the sealed rest of it, and a model call's messages.
    struct StoredRequest: Sendable {
        var sealedShell: String
        var messages: [String]?
    }

    func storedRequest(_ executionId: String, _ call: ExecutionCall) throws -> StoredRequest {
        let identity = Self.identity(executionId, call.id) + ":request"
        guard case .complete(var completion) = call.request else {
            return StoredRequest(sealedShell: try sealing.seal(Self.json(call.request), boundTo: identity), messages: nil)
        }
        let messages = try completion.messages.map { try Self.json($0) }
        completion.messages = []
        let shell = try sealing.seal(Self.json(CallRequest.complete(completion)), boundTo: identity)
        return StoredRequest(sealedShell: shell, messages: messages)
    }

    /// The `request` and `messageDigests` column values, storing the messages on the way.
    static func columns(_ db: Database, _ request: StoredRequest, content: ContentStore) throws -> (String, String?) {
        guard let messages = request.messages else { return (request.sealedShell, nil) }
        let digests = try messages.map { try content.intern(db, $0) }
        return (request.sealedShell, try json(digests))
    }

    /// A request read back whole.
    static func request(
        _ db: Database, executionId: String, callId: String, stored: String, digests: String?,
        sealing: SealedColumn, content: ContentStore
    ) throws -> CallRequest {
        let request = try WireCodec.decodeStored(
            CallRequest.self, from: try sealing.reveal(stored, boundTo: identity(executionId, callId) + ":request"))
        guard let digests, case .complete(var completion) = request else { return request }
        completion.messages = try WireCodec.decodeStored([String].self, from: digests).map { digest in
            try WireCodec.decodeStored(ChatMessage.self, from: try content.body(db, digest))
        }
        return .complete(completion)
    }
}
