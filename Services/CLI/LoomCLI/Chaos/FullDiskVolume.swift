import Foundation

/// A small filesystem of its own (a size-limited tmpfs) under one service's data directory,
/// mounted before the service starts, that can be filled for a while: then every write that
/// needs a new block fails with ENOSPC, as on a full disk. Mounting needs root (CAP_SYS_ADMIN).
struct FullDiskVolume: Sendable {
    let service: String
    let directory: URL
    static let fillerName = ".chaos-full-disk"

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Mounts the volume at `<data>/<service>`; throws ``Unavailable`` when this host cannot.
    static func mount(dataDirectory: String, service: String, megabytes: Int = 64) throws -> FullDiskVolume {
        guard geteuid() == 0 else {
            throw Unavailable(description: "mounting a small tmpfs needs root; run the bench as root")
        }
        let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
            .appendingPathComponent(service, isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let output = try run(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", directory.path])
        if let output { throw Unavailable(description: "mount failed: \(output)") }
        return FullDiskVolume(service: service, directory: directory)
    }

    /// Takes every free block for `seconds`, then gives them back.
    /// - Returns: how many bytes the filler took.
    func fill(for seconds: Double) async throws -> Int {
        let path = directory.appendingPathComponent(Self.fillerName).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw Unavailable(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer {
            close(descriptor)
            unlink(path)
        }
        var filled = 0
        for chunk in [1 << 20, 1 << 12, 512, 1] {
            let buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress, chunk) }
                if written <= 0 { break }
                filled += written
            }
        }
        try await Task.sleep(for: .seconds(seconds))
        return filled
    }

    /// Unmounts the volume (after its service stopped); returns what went wrong, if anything.
    func unmount() -> String? {
        do {
            return try Self.run(["umount", directory.path])
        } catch {
            return "\(error)"
        }
    }

    /// Runs a system command; returns its output when it failed, nil when it succeeded.
    private static func run(_ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "\(arguments[0]) exited with status \(process.terminationStatus)" : text
    }
}
