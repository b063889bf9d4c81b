import Foundation

/// Each service's own folder under the suite's data directory (`data/<service>/`, mode 0700),
/// holding its SQLite file and any key file it generates (mode 0600).
///
/// The modes keep other local users out. All processes of a local suite run as the same
/// user, so they do not keep one service from reading another's folder: true isolation
/// between services needs a separate user per service (one container each, as in compose).
public enum ServiceDataDirectory {
    /// Creates (or tightens to 0700) `<root>/<service>` and moves files of the earlier layout,
    /// where every service kept its files in `root` itself (`<service>.sqlite`, its `-wal` and
    /// `-shm`, `<service>-*.key`), into it. Returns the folder.
    @discardableResult
    public static func prepare(root: URL, service: String) throws -> URL {
        let manager = FileManager.default
        let directory = root.appendingPathComponent(service, isDirectory: true)
        try manager.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        // A root this service may only traverse (the tools service under its own user, which
        // `loom up` prepared) holds nothing of the earlier layout for it: the launcher moved it.
        guard manager.isReadableFile(atPath: root.path) else { return directory }
        let names = try manager.contentsOfDirectory(atPath: root.path)
        for name in names where isEarlierLayout(name, of: service) {
            let target = directory.appendingPathComponent(name)
            guard !manager.fileExists(atPath: target.path) else { continue }
            try manager.moveItem(at: root.appendingPathComponent(name), to: target)
        }
        return directory
    }

    static func isEarlierLayout(_ name: String, of service: String) -> Bool {
        ["", "-wal", "-shm"].contains { name == "\(service).sqlite\($0)" }
            || (name.hasPrefix("\(service)-") && name.hasSuffix(".key"))
    }

    /// Writes `contents` to a file readable and writable by this user only.
    public static func createPrivateFile(at url: URL, contents: Data) throws {
        let created = FileManager.default.createFile(
            atPath: url.path, contents: contents, attributes: [.posixPermissions: 0o600])
        guard created else {
            throw DataDirectoryError(description: "cannot write \(url.path)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}

public struct DataDirectoryError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
