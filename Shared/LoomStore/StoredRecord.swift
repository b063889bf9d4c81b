import GRDB

/// A record type stored in a service database: dates as seconds since 1970 (sortable, compact),
/// nested values as JSON text.
public protocol StoredRecord: FetchableRecord, PersistableRecord {}

extension StoredRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
