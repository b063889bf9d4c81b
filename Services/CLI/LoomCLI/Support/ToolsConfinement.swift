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

    static func arrange(layout: SuiteLayout, configDirectory: URL, binDirectory: URL) -> Decision {
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
        do {
            let user = try ServiceUser.findOrCreate(userName)
            try prepareFiles(for: user, layout: layout)
            return .confined(user)
        } catch {
            return .unconfined(reason: "\(error)")
        }
    }

    /// The suite's data and key directories become traversable (not listable) by others; the
    /// tools folder and the tools key become the tools user's.
    static func prepareFiles(for user: ServiceUser, layout: SuiteLayout) throws {
        let files = FileManager.default
        let data = URL(fileURLWithPath: layout.dataDirectory, isDirectory: true)
        try files.createDirectory(at: data, withIntermediateDirectories: true)
        try files.setAttributes([.posixPermissions: 0o711], ofItemAtPath: data.path)
        let tools = try ServiceDataDirectory.prepare(root: data, service: "tools")
        try own(tools, user)
        if let enumerator = files.enumerator(atPath: tools.path) {
            for case let name as String in enumerator { try own(tools.appendingPathComponent(name), user) }
        }
        if !layout.busSecurity.insecure {
            let keys = BusKeyDirectory(layout.busSecurity.keysDirectory(dataDirectory: layout.dataDirectory))
            try files.setAttributes([.posixPermissions: 0o711], ofItemAtPath: keys.url.path)
            try own(keys.keyFile(of: "tools"), user)
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
