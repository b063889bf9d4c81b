import Foundation
import LoomConfig
import LoomContract

/// Runs `command` capabilities, each call in a fresh sandbox (``SandboxPlan``), with the
/// validated arguments as compact JSON on stdin. At most `maxConcurrentRuns` sandboxes run at
/// once; later calls wait their turn, so a burst of calls cannot exhaust the host.
struct CommandTool: Sendable {
    static let maxConcurrentRuns = 8

    let host: SandboxPlan.Host
    /// The tools service's environment: the source of each capability's allowed variables.
    let environment: [String: String]
    let gate = RunGate(capacity: CommandTool.maxConcurrentRuns)

    func run(
        _ command: CommandBackend, arguments: JSONValue, effect: CapabilityDefinition.Effect
    ) async -> ToolCallResult {
        // Resolved at every run: a secret mounted through symlinks (as Kubernetes does) moves when
        // it is rotated, and its new place must be hidden too.
        let plan = SandboxPlan(command, host: host.resolvingHidden(), environment: environment, path: Self.kind)
        if let refusal = plan.refusal { return .failure("sandbox_refused", refusal) }
        let input: Data
        do {
            input = try WireCodec.encodeValue(arguments)
        } catch {
            return .failure("invalid_arguments", "the arguments cannot be written as JSON: \(error)")
        }
        await gate.enter()
        let outcome = await CommandProcess.run(
            executable: plan.executable, arguments: plan.arguments, environment: plan.environment, input: input,
            wallSeconds: command.limits.wallSeconds, outputBytes: command.limits.outputBytes)
        await gate.leave()
        return CommandResult.interpret(
            outcome, effect: effect, limits: (command.limits.wallSeconds, command.limits.outputBytes))
    }

    /// What a host path is, without following a final symlink.
    static func kind(_ path: String) -> SandboxPlan.PathKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK:
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return .file }
            return .symlink(to: target)
        default: return .file
        }
    }
}

extension SandboxPlan.Host {
    /// The host as the running tools service sees it: `loom-sandbox-exec` next to its own
    /// executable; hidden from tools are the suite's data, keys and secret files, the metadata
    /// files (which may hold literal secrets), and `/run` (host sockets and mounted secrets).
    static func current(
        metadata: LoomMetadata, layout: SuiteLayout, configDirectory: URL, environment: [String: String]
    ) -> SandboxPlan.Host {
        current(hiding: SecretPaths.all(metadata, layout: layout), configDirectory: configDirectory, environment: environment)
    }

    /// - Parameter secrets: the suite's own secret places, hidden besides `/run`, the bus keys
    ///   and the metadata's YAML files.
    static func current(hiding secrets: [String], configDirectory: URL, environment: [String: String]) -> SandboxPlan.Host {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "loom-tools"
        let exec = URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("loom-sandbox-exec")
        var hidden = secrets + ["/run", "/var/run"]
        if let keys = environment["LOOM_BUS_KEYS"], !keys.isEmpty { hidden.append(keys) }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: configDirectory.path)) ?? []
        hidden += files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { configDirectory.appendingPathComponent($0).path }
        return SandboxPlan.Host(
            exec: exec.path, isRoot: geteuid() == 0, hidden: Array(Set(hidden)).sorted(),
            configDirectory: configDirectory.path)
    }

    /// Directories too widely used to hide because a secret is a symlink inside them.
    static let sharedDirectories: Set<String> = [
        "/", "/etc", "/usr", "/var", "/var/lib", "/opt", "/home", "/srv", "/root", "/tmp", "/mnt", "/run",
    ]

    /// The hidden paths as they are now: each path, where it really is, and for a path that is a
    /// symlink the directory holding it too (a rotated secret's next target appears there).
    func resolvingHidden() -> SandboxPlan.Host {
        var paths = Set(hidden)
        for path in hidden {
            if let real = realpath(path, nil) {
                paths.insert(String(cString: real))
                free(real)
            }
            if case .symlink = CommandTool.kind(path) {
                let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
                if !Self.sharedDirectories.contains(parent) { paths.insert(parent) }
            }
        }
        var host = self
        host.hidden = paths.sorted()
        return host
    }
}
