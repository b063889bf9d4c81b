/// The command line of `loom-sandbox-exec`, the first program inside a tool's sandbox: the
/// limits to set on itself, then the program to become.
///
///     loom-sandbox-exec --cpu 5 --memory-mb 512 --processes 32 --open-files 64 --file-mb 64 -- PROGRAM ARGS…
public struct SandboxExecOptions: Equatable, Sendable {
    public var cpuSeconds: Int
    public var memoryMegabytes: Int
    public var processes: Int
    public var openFiles: Int
    public var fileMegabytes: Int
    /// The program and its arguments.
    public var command: [String]

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public init(
        cpuSeconds: Int, memoryMegabytes: Int, processes: Int, openFiles: Int, fileMegabytes: Int, command: [String]
    ) {
        self.cpuSeconds = cpuSeconds
        self.memoryMegabytes = memoryMegabytes
        self.processes = processes
        self.openFiles = openFiles
        self.fileMegabytes = fileMegabytes
        self.command = command
    }

    /// The arguments after the program's own name.
    public var arguments: [String] {
        [
            "--cpu", "\(cpuSeconds)", "--memory-mb", "\(memoryMegabytes)", "--processes", "\(processes)",
            "--open-files", "\(openFiles)", "--file-mb", "\(fileMegabytes)", "--",
        ] + command
    }

    /// Every limit must be given, as a positive whole number, and a program must follow `--`.
    public init(parsing arguments: [String]) throws(Invalid) {
        var values: [String: Int] = [:]
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let name = arguments[index]
            guard ["--cpu", "--memory-mb", "--processes", "--open-files", "--file-mb"].contains(name) else {
                throw Invalid(description: "unknown option '\(name)'")
            }
            guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
                throw Invalid(description: "\(name) needs a positive whole number")
            }
            values[name] = value
            index += 2
        }
        guard index < arguments.count, index + 1 < arguments.count else {
            throw Invalid(description: "no program after '--'")
        }
        func value(_ name: String) throws(Invalid) -> Int {
            guard let value = values[name] else { throw Invalid(description: "\(name) is required") }
            return value
        }
        self.init(
            cpuSeconds: try value("--cpu"), memoryMegabytes: try value("--memory-mb"),
            processes: try value("--processes"), openFiles: try value("--open-files"),
            fileMegabytes: try value("--file-mb"), command: Array(arguments[(index + 1)...]))
    }
}
