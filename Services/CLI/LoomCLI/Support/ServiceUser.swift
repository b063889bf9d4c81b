import Foundation

/// An unprivileged account a service runs as, and the launch prefix that drops to it: no
/// supplementary groups, `no_new_privs`, and an empty capability bounding and inheritable set,
/// so nothing the service later runs can gain a privilege back.
struct ServiceUser: Equatable, Sendable {
    var name: String
    var uid: UInt32
    var gid: UInt32

    static let setpriv = "/usr/bin/setpriv"

    /// `setpriv … --` before the service's own argument vector.
    var launchPrefix: [String] {
        [
            Self.setpriv, "--reuid", "\(uid)", "--regid", "\(gid)", "--clear-groups", "--no-new-privs",
            "--bounding-set", "-all", "--inh-caps", "-all", "--",
        ]
    }

    /// The account, creating it as a system user (no home, no login shell) when it is missing.
    static func findOrCreate(_ name: String) throws -> ServiceUser {
        if let user = lookup(name) { return user }
        let useradd = Process()
        useradd.executableURL = URL(fileURLWithPath: "/usr/sbin/useradd")
        useradd.arguments = [
            "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
            "/usr/sbin/nologin", name,
        ]
        try useradd.run()
        useradd.waitUntilExit()
        guard useradd.terminationStatus == 0, let user = lookup(name) else {
            throw SupervisorError(message: "useradd \(name) failed with status \(useradd.terminationStatus)")
        }
        return user
    }

    static func lookup(_ name: String) -> ServiceUser? {
        guard let entry = getpwnam(name) else { return nil }
        return ServiceUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// The first of `paths` that another user cannot reach: a directory on the way without
    /// search permission for others, or the path itself without `need` for others.
    static func firstUnreachable(
        _ paths: [(path: String, need: mode_t)], mode: (String) -> mode_t?
    ) -> String? {
        for (path, need) in paths {
            var prefix = ""
            for component in path.split(separator: "/").dropLast() {
                prefix += "/" + component
                guard let bits = mode(prefix), bits & S_IXOTH != 0 else { return prefix }
            }
            guard let bits = mode(path), bits & need == need else { return path }
        }
        return nil
    }
}
