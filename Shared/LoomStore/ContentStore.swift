import Crypto
import Foundation
import GRDB
import LoomContract

/// Text stored once by its digest, for records that repeat most of what the record before them
/// held: a model request carries the whole conversation so far and the same tool schemas on
/// every call, and storing each whole made storage grow with the conversation.
///
/// Digests are keyed (HMAC-SHA256 with a key of the service's own) when the service seals its
/// data, so a reader of the file cannot confirm a guessed text by hashing it; the bodies are
/// then sealed too, bound to their digest.
public struct ContentStore: Sendable {
    private let sealing: SealedColumn?
    private let digestKey: Data

    /// - Parameter sealing: the service's column sealing, or nil for a service that stores
    ///   these texts in the clear.
    public init(sealing: SealedColumn?) {
        self.sealing = sealing
        digestKey = sealing?.derivedKey(for: "content-digest") ?? Data()
    }

    public static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS storedContent (
                digest TEXT PRIMARY KEY NOT NULL,
                body TEXT NOT NULL
            ) WITHOUT ROWID
            """)
    }

    public func digest(of body: String) -> String {
        let data = Data(body.utf8)
        if digestKey.isEmpty { return Hex.string(SHA256.hash(data: data)) }
        return Hex.string(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: digestKey)))
    }

    /// Stores `body` unless it is already there; returns its digest.
    @discardableResult
    public func intern(_ db: Database, _ body: String) throws -> String {
        let digest = digest(of: body)
        let known = try db.cachedStatement(sql: "SELECT 1 FROM storedContent WHERE digest = ?")
        guard try Bool.fetchOne(known, arguments: [digest]) == nil else {
            return digest
        }
        let stored = try sealing.map { try $0.seal(body, boundTo: "content:\(digest)") } ?? body
        try db.executeCached(sql: "INSERT INTO storedContent (digest, body) VALUES (?, ?)", arguments: [digest, stored])
        return digest
    }

    public struct Missing: Error, CustomStringConvertible {
        public var digest: String
        public var description: String { "stored content \(digest) is missing" }
    }

    public func body(_ db: Database, _ digest: String) throws -> String {
        let select = try db.cachedStatement(sql: "SELECT body FROM storedContent WHERE digest = ?")
        guard let stored = try String.fetchOne(select, arguments: [digest])
        else { throw Missing(digest: digest) }
        return try sealing.map { try $0.reveal(stored, boundTo: "content:\(digest)") } ?? stored
    }
}
