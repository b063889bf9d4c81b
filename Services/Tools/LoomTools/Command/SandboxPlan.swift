import Foundation
import LoomConfig
import LoomSandbox

/// How one run of a `command` capability is confined, as the argument vector that launches it:
/// pure, so every flag can be checked without starting anything.
///
/// The chain is `[setpriv …] bwrap … -- loom-sandbox-exec LIMITS -- PROGRAM ARGS`:
/// - `setpriv` drops root to an unprivileged uid first when the tools service runs as root, so
///   the sandbox's user namespace maps to that uid, never to root;
/// - `bwrap` gives it new user, pid, ipc, uts, cgroup and network namespaces (the host's network
///   only when the capability allows it), no capabilities, a read-only view of the host (or only
///   the named binds) with the suite's data and secrets hidden, a private `/tmp`, a fresh
///   `/proc` and `/dev`, no inherited environment, and its own session; it dies with its parent;
/// - `loom-sandbox-exec` sets the rlimits and the seccomp filter on itself and becomes the program.
struct SandboxPlan: Equatable, Sendable {
    /// Where the tools are: the programs outside the sandbox.
    struct Host: Equatable, Sendable {
        var bwrap = "/usr/bin/bwrap"
        var setpriv = "/usr/bin/setpriv"
        /// `loom-sandbox-exec`, next to `loom-tools`.
        var exec: String
        /// Whether the tools service runs as root (then the run drops to `unprivilegedId` first).
        var isRoot: Bool
        var unprivilegedId = 65534
        /// Paths hidden inside the sandbox (an empty tmpfs over each): the suite's data directory,
        /// home directories, mounted secrets.
        var hidden: [String]
        /// The metadata directory: a relative executable is found there.
        var configDirectory: String
    }

    /// System directories a sandbox with its own binds still needs to run programs.
    static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc"]
    /// A file written in the sandbox is at most this large.
    static let fileMegabytes = 64

    let executable: String
    let arguments: [String]

    /// What a path on the host is.
    enum PathKind: Equatable, Sendable {
        case missing, present
        case symlink(to: String)
    }

    /// - Parameters:
    ///   - environment: the tools service's environment; only the capability's named variables pass.
    ///   - path: what a host path is (the file system, or a table in tests).
    init(_ command: CommandBackend, host: Host, environment: [String: String], path: (String) -> PathKind) {
        func exists(_ name: String) -> Bool { path(name) != .missing }
        let program = command.executable.hasPrefix("/")
            ? command.executable
            : URL(fileURLWithPath: host.configDirectory).appendingPathComponent(command.executable).path
        var bwrap = ["--unshare-all"]
        if command.network { bwrap.append("--share-net") }
        bwrap += [
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", "\(host.unprivilegedId)", "--gid", "\(host.unprivilegedId)", "--hostname", "loom-tool",
        ]
        if command.binds.isEmpty {
            bwrap += ["--ro-bind", "/", "/"]
        } else {
            for system in Self.systemPaths {
                switch path(system) {
                case .missing: break
                case .present: bwrap += ["--ro-bind", system, system]
                case .symlink(let target): bwrap += ["--symlink", target, system]
                }
            }
            for bind in command.binds { bwrap += ["--ro-bind", bind, bind] }
        }
        for hidden in host.hidden where exists(hidden) { bwrap += ["--tmpfs", hidden] }
        bwrap += ["--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
        // The program and the launcher stay visible even where a hidden path or /tmp covers them.
        let execDirectory = URL(fileURLWithPath: host.exec).deletingLastPathComponent().path
        let programDirectory = URL(fileURLWithPath: program).deletingLastPathComponent().path
        for directory in [execDirectory, programDirectory] where exists(directory) {
            bwrap += ["--ro-bind", directory, directory]
        }
        bwrap += ["--chdir", command.workingDirectory ?? "/tmp"]
        bwrap += ["--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp"]
        for name in command.environment.sorted() {
            if let value = environment[name] { bwrap += ["--setenv", name, value] }
        }
        let limits = command.limits
        let exec = SandboxExecOptions(
            cpuSeconds: limits.cpuSeconds, memoryMegabytes: limits.memoryMegabytes, processes: limits.processes,
            openFiles: limits.openFiles, fileMegabytes: Self.fileMegabytes, command: [program] + command.arguments)
        let inside = ["--", host.exec] + exec.arguments
        if host.isRoot {
            executable = host.setpriv
            arguments = [
                "--reuid", "\(host.unprivilegedId)", "--regid", "\(host.unprivilegedId)", "--clear-groups",
                "--", host.bwrap,
            ] + bwrap + inside
        } else {
            executable = host.bwrap
            arguments = bwrap + inside
        }
    }
}
