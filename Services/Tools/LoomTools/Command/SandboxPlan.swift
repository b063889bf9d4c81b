import Foundation
import LoomConfig
import LoomSandbox

/// How one run of a `command` capability is confined, as the argument vector and environment
/// that launch it: pure, so every flag can be checked without starting anything.
///
/// The chain is `[setpriv …] bwrap … -- loom-sandbox-exec LIMITS -- PROGRAM ARGS`:
/// - `setpriv` drops root to an unprivileged uid first when the tools service runs as root, so
///   the sandbox's user namespace maps to that uid, never to root;
/// - `bwrap` gives it new user, pid, ipc, uts, cgroup and network namespaces (the host's network
///   only when the capability allows it) and forbids it further user namespaces, no
///   capabilities, a read-only view of the host (or only the named binds) with the suite's
///   data, keys, secrets and `/run` hidden, a private size-capped `/tmp`, a fresh `/proc` and
///   `/dev`, and its own session; it dies with its parent;
/// - `loom-sandbox-exec` sets the rlimits and the seccomp filter on itself and becomes the program.
///
/// The environment is the launch's own (`bwrap` passes it on), never its arguments, which any
/// local user can read in `ps`.
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
        /// Paths hidden inside the sandbox, directories under an empty read-only tmpfs and files
        /// under `/dev/null`: the suite's data directory, its keys and secret files, `/run`.
        var hidden: [String]
        /// The metadata directory: a relative executable is found there.
        var configDirectory: String
    }

    /// System directories a sandbox with its own binds still needs to run programs.
    static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc"]
    /// A file written in the sandbox is at most this large, and so are `/tmp` and `/dev/shm`.
    static let fileMegabytes = 64
    static let searchPath = "/usr/local/bin:/usr/bin:/bin"

    let executable: String
    let arguments: [String]
    /// The launch's whole environment.
    let environment: [String: String]
    /// Why the run must not start (a program inside a hidden path), if it must not.
    let refusal: String?

    /// What a path on the host is.
    enum PathKind: Equatable, Sendable {
        case missing, directory, file
        case symlink(to: String)
    }

    /// - Parameters:
    ///   - environment: the tools service's environment; only the capability's named variables pass.
    ///   - path: what a host path is (the file system, or a table in tests).
    init(_ command: CommandBackend, host: Host, environment: [String: String], path: (String) -> PathKind) {
        let program = command.executable.hasPrefix("/")
            ? command.executable
            : URL(fileURLWithPath: host.configDirectory).appendingPathComponent(command.executable).path
        let programDirectory = URL(fileURLWithPath: program).standardized.deletingLastPathComponent().path
        refusal = host.hidden.first { Self.contains($0, programDirectory) }.map {
            "the program \(program) is inside \($0), which tools must not see"
        }
        var bwrap = ["--unshare-all", "--unshare-user", "--disable-userns"]
        if command.network { bwrap.append("--share-net") }
        bwrap += [
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", "\(host.unprivilegedId)", "--gid", "\(host.unprivilegedId)", "--hostname", "loom-tool",
        ]
        bwrap += Self.root(command, path: path)
        let tmpBytes = "\(Self.fileMegabytes << 20)"
        bwrap += ["--size", tmpBytes, "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
        bwrap += ["--size", tmpBytes, "--tmpfs", "/dev/shm"]
        // The program and the launcher stay visible over /tmp; hidden paths come last, so no
        // bind can bring one back.
        let execDirectory = URL(fileURLWithPath: host.exec).deletingLastPathComponent().path
        for directory in [execDirectory, programDirectory] where path(directory) != .missing {
            bwrap += ["--ro-bind", directory, directory]
        }
        var readOnly: [String] = []
        for hidden in host.hidden {
            switch path(hidden) {
            case .directory:
                bwrap += ["--tmpfs", hidden]
                readOnly += ["--remount-ro", hidden]
            case .file: bwrap += ["--ro-bind", "/dev/null", hidden]
            case .missing, .symlink: break
            }
        }
        // Mounted before the hidden tmpfs turn read-only: its mount point is made in one.
        bwrap += Self.resolver(command, hidden: host.hidden, path: path) + readOnly
        bwrap += ["--chdir", command.workingDirectory ?? "/tmp"]
        var passed = ["PATH": Self.searchPath, "HOME": "/tmp"]
        for name in command.environment { passed[name] = environment[name] }
        self.environment = passed
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

    /// The sandbox's root: the host read-only, or only the system paths and the named binds.
    private static func root(_ command: CommandBackend, path: (String) -> PathKind) -> [String] {
        guard !command.binds.isEmpty else { return ["--ro-bind", "/", "/"] }
        var arguments: [String] = []
        for system in systemPaths {
            switch path(system) {
            case .missing: break
            case .directory, .file: arguments += ["--ro-bind", system, system]
            case .symlink(let target): arguments += ["--symlink", target, system]
            }
        }
        for bind in command.binds { arguments += ["--ro-bind", bind, bind] }
        return arguments
    }

    /// A networked program still needs its resolver configuration where `/etc/resolv.conf`
    /// points into a hidden `/run` (systemd-resolved): that one directory comes back.
    private static func resolver(_ command: CommandBackend, hidden: [String], path: (String) -> PathKind) -> [String] {
        guard command.network, case .symlink(let target) = path("/etc/resolv.conf") else { return [] }
        let absolute = target.hasPrefix("/") ? target : "/etc/" + target
        let directory = URL(fileURLWithPath: absolute).standardized.deletingLastPathComponent().path
        guard hidden.contains(where: { contains($0, directory) }), path(directory) == .directory else { return [] }
        return ["--ro-bind", directory, directory]
    }

    /// Whether `path` is `directory` or inside it.
    static func contains(_ directory: String, _ path: String) -> Bool {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return path == base || path.hasPrefix(base + "/")
    }
}
