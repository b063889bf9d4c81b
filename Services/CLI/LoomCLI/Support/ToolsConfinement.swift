import Foundation
import LoomBus
import LoomConfig
import LoomStore

/// What `loom up` arranges, when it runs as root, so the tools service (the one that runs
/// programs on the model's behalf) is not root: a system user of its own (`loom-tools`), the
/// launch prefix that drops to it with `no_new_privs` and no capabilities, and files it can
/// reach: its own data directory and bus key, and nothing of the other services (their folders
/// and keys stay root's, mode 0700 and 0600).
enum ToolsConfinement {
    static let userName = "loom-tools"

    enum Decision: Equatable {
        case confined(ServiceUser)
        case unconfined(reason: String)
    }

    /// Once the tools service can have a user of its own, failing to hand it its files stops
    /// the start-up: falling back to root would let code running as that user (which owns the
    /// tools folder) turn the next start into a root one just by leaving a file it cannot chown.
    struct PreparationFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func arrange(layout: SuiteLayout, configDirectory: URL, binDirectory: URL) throws(PreparationFailed) -> Decision {
        guard geteuid() == 0 else {
            return .unconfined(reason: "loom up is not root, so every service runs as its user")
        }
        let bus = layout.busSecurity
        if bus.roster != nil || bus.secretKey != nil {
            return .unconfined(reason: "the bus keys are provisioned by reference; give the tools service its own user there")
        }
        if layout.dataKeyIsConfigured(for: "tools"), layout.dataKey(of: "tools").filePath != nil {
            return .unconfined(reason: "the tools data key is a file of the operator's; run tools as its owner")
        }
        let files = FileManager.default
        let yaml = ((try? files.contentsOfDirectory(atPath: configDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { (path: configDirectory.appendingPathComponent($0).path, need: S_IROTH) }
        let needed = [
            (path: binDirectory.appendingPathComponent("loom-tools").path, need: S_IXOTH),
            (path: binDirectory.appendingPathComponent("loom-sandbox-exec").path, need: S_IXOTH),
            (path: configDirectory.path, need: S_IROTH | S_IXOTH),
        ] + yaml
        if let blocked = ServiceUser.firstUnreachable(needed, mode: Self.mode) {
            return .unconfined(reason: "\(blocked) is not reachable by other users")
        }
        let user: ServiceUser
        do {
            user = try ServiceUser.findOrCreate(userName)
        } catch {
            return .unconfined(reason: "\(error)")
        }
        do {
            try prepareFiles(for: user, layout: layout)
        } catch {
            throw PreparationFailed(description: "cannot give the tools service its files: \(error)")
        }
        return .confined(user)
    }

    /// The suite's data and key directories become traversable (not listable) by others; the
    /// tools folder and the tools key become the tools user's.
    static func prepareFiles(for user: ServiceUser, layout: SuiteLayout) throws {
        let files = FileManager.default
        let data = URL(fileURLWithPath: layout.dataDirectory, isDirectory: true)
        try files.createDirectory(at: data, withIntermediateDirectories: true)
        try files.setAttributes([.posixPermissions: 0o711], ofItemAtPath: data.path)
        let tools = try ServiceDataDirectory.prepare(root: data, service: "tools")
        try ownFolder(tools, user)
        if !layout.busSecurity.insecure {
            let keys = BusKeyDirectory(layout.busSecurity.keysDirectory(dataDirectory: layout.dataDirectory))
            try files.setAttributes([.posixPermissions: 0o711], ofItemAtPath: keys.url.path)
            try own(keys.keyFile(of: "tools"), user)
        }
    }

    /// The folder and what an earlier root run left directly in it (the service makes no
    /// subfolders), by names as the directory holds them (any bytes) and never through a symlink
    /// or a hard link: the folder's owner may have put anything there. (`fs.protected_hardlinks`,
    /// on by default, already keeps it from linking to files it does not own.)
    static func ownFolder(_ folder: URL, _ user: ServiceUser) throws {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SupervisorError(message: "cannot open \(folder.path): \(String(cString: strerror(errno)))")
        }
        guard fchown(descriptor, user.uid, user.gid) == 0, let directory = fdopendir(descriptor) else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw SupervisorError(message: "cannot give \(folder.path) to \(user.name): \(reason)")
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let failed = withUnsafePointer(to: entry.pointee.d_name) { name in
                name.withMemoryRebound(to: CChar.self, capacity: 256) { name -> Bool in
                    if strcmp(name, ".") == 0 || strcmp(name, "..") == 0 { return false }
                    var status = stat()
                    guard fstatat(dirfd(directory), name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return errno != ENOENT }
                    // Only what an earlier root run made: a single-link file or a folder. A hard
                    // link (to a root file elsewhere) is never handed over.
                    let kind = status.st_mode & S_IFMT
                    guard status.st_uid == 0, kind == S_IFDIR || (kind == S_IFREG && status.st_nlink == 1) else { return false }
                    return fchownat(dirfd(directory), name, user.uid, user.gid, AT_SYMLINK_NOFOLLOW) != 0 && errno != ENOENT
                }
            }
            if failed {
                throw SupervisorError(message: "cannot give an entry of \(folder.path) to \(user.name): \(String(cString: strerror(errno)))")
            }
        }
    }

    private static func own(_ url: URL, _ user: ServiceUser) throws {
        guard lchown(url.path, user.uid, user.gid) == 0 else {
            throw SupervisorError(message: "cannot give \(url.path) to \(user.name): \(String(cString: strerror(errno)))")
        }
    }

    private static func mode(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode : nil
    }
}
