import Foundation
import Testing

@testable import LoomCLI

/// The pure parts of confining the tools service: the launch prefix and the reachability check
/// that decides whether another user could run the suite's binaries at all.
@Suite struct ServiceUserTests {
    @Test func theLaunchDropsEveryPrivilegeBeforeTheService() {
        let prefix = ServiceUser(name: "loom-tools", uid: 999, gid: 998).launchPrefix
        #expect(prefix.joined(separator: " ") == "/usr/bin/setpriv --reuid 999 --regid 998 --clear-groups --no-new-privs "
            + "--bounding-set -all --inh-caps -all --")
    }

    @Test func aPathBehindAPrivateDirectoryIsUnreachable() {
        let modes: [String: mode_t] = [
            "/root": 0o40700, "/root/loom": 0o40755, "/root/loom/loom-tools": 0o100755,
            "/opt": 0o40755, "/opt/loom": 0o40755, "/opt/loom/loom-tools": 0o100755,
            "/opt/loom/compose": 0o40750, "/opt/loom/secret.yaml": 0o100600,
        ]
        let mode = { (path: String) in modes[path] }
        #expect(ServiceUser.firstUnreachable([("/opt/loom/loom-tools", S_IXOTH)], mode: mode) == nil)
        #expect(ServiceUser.firstUnreachable([("/root/loom/loom-tools", S_IXOTH)], mode: mode) == "/root")
        #expect(ServiceUser.firstUnreachable([("/opt/loom/compose", S_IROTH | S_IXOTH)], mode: mode) == "/opt/loom/compose")
        #expect(ServiceUser.firstUnreachable([("/opt/loom/secret.yaml", S_IROTH)], mode: mode) == "/opt/loom/secret.yaml")
        #expect(ServiceUser.firstUnreachable([("/opt/missing/x", S_IXOTH)], mode: mode) == "/opt/missing")
    }
}

/// Handing the tools folder to its user, as root, when the folder holds what that user could
/// have put there: a name that is not UTF-8, a symlink and a hard link to root's files.
@Suite struct ToolsFolderOwnershipTests {
    @Test(.enabled(if: geteuid() == 0))
    func onlyWhatAnEarlierRootRunLeftChangesHandsNeverALinkedFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loom-own-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("tools")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let database = folder.appendingPathComponent("tools.sqlite")
        let secret = root.appendingPathComponent("secret")
        for file in [database, secret] {
            #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        }
        #expect(symlink(secret.path, folder.appendingPathComponent("link").path) == 0)
        #expect(link(secret.path, folder.appendingPathComponent("hard").path) == 0)
        let odd = folder.path + "/\u{FF}odd"
        let descriptor = odd.withCString { pointer in
            // A name with a byte that is not UTF-8, the way a process could write it.
            var bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
            if let index = bytes.firstIndex(of: CChar(bitPattern: 0xC3)) { bytes.remove(at: index) }
            return (bytes + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(descriptor >= 0)
        close(descriptor)

        let nobody = ServiceUser(name: "nobody", uid: 65534, gid: 65534)
        try ToolsConfinement.ownFolder(folder, nobody)
        func owner(_ path: String) -> uid_t {
            var status = stat()
            return lstat(path, &status) == 0 ? status.st_uid : 12345
        }
        #expect(owner(folder.path) == 65534 && owner(database.path) == 65534)
        #expect(owner(secret.path) == 0, "neither the symlink nor the hard link hands over root's file")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.count == 4, "\(names)")
    }
}
