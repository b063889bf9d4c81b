import Foundation
import GRDB

/// The one connection pool a service holds on its own SQLite file.
///
/// Opening runs the bus's custody migrations and then the service's own, so a value of this
/// type never exists over an out-of-date schema. Each service opens exactly one file, once.
public struct ServiceDatabase: Sendable {
    public let writer: any DatabaseWriter
    let group: GroupCommit

    /// Opens (creating if needed) `<directory>/<service>.sqlite` in WAL mode. With `sealing`,
    /// custody payloads and cached replies are sealed at rest (`CustodySealing`).
    public static func open(
        directory: URL, service: String, sealing: SealedColumn? = nil,
        migrations: (inout DatabaseMigrator) -> Void = { _ in }
    ) throws -> ServiceDatabase {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent("\(service).sqlite").path
        let pool = try DatabasePool(path: path, configuration: makeConfiguration(sealing: sealing))
        // GRDB switches the writer to synchronous=NORMAL while enabling WAL, after prepareDatabase
        // has run; set FULL here so commits also survive power loss, not only a process crash.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return try ServiceDatabase(writer: pool, migrations: migrations)
    }

    /// An in-memory database for unit tests.
    public static func inMemory(migrations: (inout DatabaseMigrator) -> Void = { _ in }) throws -> ServiceDatabase {
        try ServiceDatabase(writer: DatabaseQueue(configuration: makeConfiguration()), migrations: migrations)
    }

    init(writer: any DatabaseWriter, migrations: (inout DatabaseMigrator) -> Void) throws {
        var migrator = DatabaseMigrator()
        CustodyTables.register(in: &migrator)
        migrations(&migrator)
        try migrator.migrate(writer)
        self.writer = writer
        group = GroupCommit(writer: writer)
    }

    static func makeConfiguration(sealing: SealedColumn? = nil) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Deleted and overwritten content (dropped payloads, pruned bodies) is zeroed on
            // disk instead of lingering in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            CustodySealing.register(in: db, sealing: sealing)
        }
        return configuration
    }

    /// One write transaction, committed with whatever else arrived meanwhile (``GroupCommit``);
    /// it returns once the commit is durable.
    public func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await group.write(updates)
    }

    /// A read on the caller's own thread. A read in WAL mode never waits for the writer, and
    /// these are point lookups of microseconds; handing each to a reader queue and back cost two
    /// thread switches, more than the read itself.
    public func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readHere(value)
    }

    private func readHere<T>(_ value: (Database) throws -> T) throws -> T {
        try writer.read(value)
    }

    /// A read of one statement, without the snapshot transaction `read` opens (a BEGIN and a
    /// COMMIT around it). One statement sees one consistent snapshot on its own; a read of two
    /// or more must use `read`.
    public func readOneStatement<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try unsafeReadHere(value)
    }

    private func unsafeReadHere<T>(_ value: (Database) throws -> T) throws -> T {
        try writer.unsafeRead(value)
    }
}
