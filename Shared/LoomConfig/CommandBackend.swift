import Foundation
import LoomContract

/// The admin-owned settings of a `command` capability: the program the tools service runs in a
/// fresh sandbox for each call, giving it the validated arguments as JSON on stdin and reading
/// one JSON value from its stdout.
public struct CommandBackend: Sendable, Codable, Equatable {
    /// An absolute path, or one relative to the metadata directory.
    public var executable: String
    public var arguments: [String]
    /// Inside the sandbox; the sandbox's private `/tmp` by default.
    public var workingDirectory: String?
    /// Names of variables passed from the tools service's environment; nothing else is.
    public var environment: [String]
    /// Whether the program may use the network (the host's); without it, it has only a loopback
    /// interface of its own.
    public var network: Bool
    /// Paths mounted read-only in the sandbox. Empty: the whole host read-only, except the
    /// suite's data directory, home directories and secrets mounts, which are hidden.
    public var binds: [String]
    public var limits: CommandLimits

    enum CodingKeys: String, CodingKey {
        case executable, arguments, workingDirectory, environment, network, binds, limits
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        executable = try c.decode(String.self, forKey: .executable)
        arguments = try c.decodeIfPresent([String].self, forKey: .arguments) ?? []
        workingDirectory = try c.decodeIfPresent(String.self, forKey: .workingDirectory)
        environment = try c.decodeIfPresent([String].self, forKey: .environment) ?? []
        network = try c.decodeIfPresent(Bool.self, forKey: .network) ?? false
        binds = try c.decodeIfPresent([String].self, forKey: .binds) ?? []
        limits = try c.decodeIfPresent(CommandLimits.self, forKey: .limits) ?? CommandLimits()
    }

    /// Reads a capability's `backend` map.
    public init(backend: [String: JSONValue]) throws {
        let data = try JSONEncoder().encode(JSONValue.object(backend))
        self = try JSONDecoder().decode(CommandBackend.self, from: data)
    }

    /// What is wrong with these settings, for the config check (empty when they can run).
    public var problems: [String] {
        var problems = limits.problems
        if executable.isEmpty { problems.append("executable is empty") }
        for path in binds + [workingDirectory].compactMap({ $0 }) where !path.hasPrefix("/") {
            problems.append("'\(path)' must be an absolute path")
        }
        for name in environment where name.isEmpty || name.contains("=") {
            problems.append("'\(name)' is not a variable name")
        }
        return problems
    }
}

/// What one run of a command may use. Every limit is enforced by the kernel (rlimits, the pid
/// namespace) or by the tools service (wall time, output size), never by the program.
public struct CommandLimits: Sendable, Codable, Equatable {
    public var wallSeconds: Double
    public var cpuSeconds: Int
    public var memoryMegabytes: Int
    public var processes: Int
    public var outputBytes: Int
    public var openFiles: Int

    public init(
        wallSeconds: Double = 10, cpuSeconds: Int = 5, memoryMegabytes: Int = 512, processes: Int = 32,
        outputBytes: Int = 1 << 20, openFiles: Int = 64
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryMegabytes = memoryMegabytes
        self.processes = processes
        self.outputBytes = outputBytes
        self.openFiles = openFiles
    }

    enum CodingKeys: String, CodingKey {
        case wallSeconds, cpuSeconds, memoryMegabytes, processes, outputBytes, openFiles
    }

    public init(from decoder: any Decoder) throws {
        let d = CommandLimits()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        wallSeconds = try c.decodeIfPresent(Double.self, forKey: .wallSeconds) ?? d.wallSeconds
        cpuSeconds = try c.decodeIfPresent(Int.self, forKey: .cpuSeconds) ?? d.cpuSeconds
        memoryMegabytes = try c.decodeIfPresent(Int.self, forKey: .memoryMegabytes) ?? d.memoryMegabytes
        processes = try c.decodeIfPresent(Int.self, forKey: .processes) ?? d.processes
        outputBytes = try c.decodeIfPresent(Int.self, forKey: .outputBytes) ?? d.outputBytes
        openFiles = try c.decodeIfPresent(Int.self, forKey: .openFiles) ?? d.openFiles
    }

    var problems: [String] {
        var problems: [String] = []
        if !(wallSeconds > 0 && wallSeconds <= 3600) { problems.append("limits.wallSeconds must be in (0, 3600]") }
        if !(1...3600).contains(cpuSeconds) { problems.append("limits.cpuSeconds must be between 1 and 3600") }
        if !(16...65_536).contains(memoryMegabytes) { problems.append("limits.memoryMegabytes must be between 16 and 65536") }
        if !(1...4096).contains(processes) { problems.append("limits.processes must be between 1 and 4096") }
        if !(1...(256 << 20)).contains(outputBytes) { problems.append("limits.outputBytes must be between 1 and 256 MiB") }
        if !(8...4096).contains(openFiles) { problems.append("limits.openFiles must be between 8 and 4096") }
        return problems
    }
}
