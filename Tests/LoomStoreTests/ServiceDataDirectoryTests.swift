import Foundation
import LoomStore
import Testing

/// Each service's folder is its own (0700), and files of the earlier flat layout move into it.
@Suite struct ServiceDataDirectoryTests {
    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theFolderIsPrivateAndEarlierFilesMoveIntoIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loom-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["trust.sqlite", "trust.sqlite-wal", "trust-vault.key", "router.sqlite", "trust.sqlite.bak"] {
            try Data(name.utf8).write(to: root.appendingPathComponent(name))
        }
        let folder = try ServiceDataDirectory.prepare(root: root, service: "trust")
        #expect(folder == root.appendingPathComponent("trust", isDirectory: true))
        #expect(try mode(folder.path) == 0o700)
        let moved = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(moved == ["trust-vault.key", "trust.sqlite", "trust.sqlite-wal"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("trust.sqlite")) == Data("trust.sqlite".utf8))
        // Another service's files stay for that service to move.
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("router.sqlite").path))
        // So does anything else that only looks like a service's file.
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("trust.sqlite.bak").path))

        // A folder made with looser modes is tightened.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try ServiceDataDirectory.prepare(root: root, service: "trust")
        #expect(try mode(folder.path) == 0o700)

        let key = folder.appendingPathComponent("data.key")
        try ServiceDataDirectory.createPrivateFile(at: key, contents: Data("k".utf8))
        #expect(try mode(key.path) == 0o600)
    }
}
