import Foundation

/// File modes a key or roster must have before the bus trusts what it says: a roster others can
/// write lets them add their own key, and a secret key others can read is no longer secret.
enum KeyFileMode {
    /// Throws when group or others may write `path` (a roster from the key directory or a
    /// `file:` reference).
    static func requireNotWritableByOthers(_ path: String) throws {
        guard let mode = mode(of: path), mode & 0o022 != 0 else { return }
        throw BusSecurityError.badKey(
            "\(path) is writable by group or others (mode \(String(mode, radix: 8))); run chmod go-w on it")
    }

    /// Throws when group or others may read, write or run `path` (a secret key in the key
    /// directory, which `loom keys init` writes with mode 0600).
    static func requirePrivate(_ path: String) throws {
        guard let mode = mode(of: path), mode & 0o077 != 0 else { return }
        throw BusSecurityError.badKey(
            "\(path) is open to group or others (mode \(String(mode, radix: 8))); run chmod 600 on it")
    }

    private static func mode(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_mode) & 0o777
    }
}
