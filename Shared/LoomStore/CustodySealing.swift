import Foundation
import GRDB

/// Custody payloads (inbox, outbox, dead letters) and cached replies carry whole messages,
/// texts included, until they are processed or acknowledged. Sealed with the service's data
/// key on the way in and opened on the way out, they are never on disk in the clear, not
/// even in write-ahead-log frames that outlive the row's update.
///
/// The SQL of `Inbox.swift`, `Outbox.swift` and `ReplyCache.swift` calls two functions this
/// registers on every connection: `loom_seal(bytes, identity)` and `loom_open(bytes, identity)`,
/// the identity (`inbox:<id>`, `outbox:<id>`, `reply:<id>`) bound as associated data. Without
/// a key (unit tests) both return the bytes unchanged; values written before sealing open as
/// they are.
enum CustodySealing {
    static func register(in db: Database, sealing: SealedColumn?) {
        db.add(function: DatabaseFunction("loom_seal", argumentCount: 2, pure: false) { values in
            try transform(values, sealing.map { column in { try column.seal(data: $0, boundTo: $1) } })
        })
        db.add(function: DatabaseFunction("loom_open", argumentCount: 2, pure: false) { values in
            try transform(values, sealing.map { column in { try column.reveal(data: $0, boundTo: $1) } })
        })
    }

    private static func transform(
        _ values: [DatabaseValue], _ operation: ((Data, String) throws -> Data)?
    ) throws -> (any DatabaseValueConvertible)? {
        guard let data = Data.fromDatabaseValue(values[0]) else { return nil }
        guard let operation else { return data }
        guard let identity = String.fromDatabaseValue(values[1]) else {
            throw SealedColumn.SealError(description: "a sealed value needs its row's identity")
        }
        return try operation(data, identity)
    }
}
