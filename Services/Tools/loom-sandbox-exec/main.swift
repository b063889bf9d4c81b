import LoomSandbox
#if canImport(Glibc)
import Glibc
#endif

// Inside a tool's sandbox: close inherited descriptors, set the limits and the seccomp filter on
// this process, then become the tool. A failure before the tool starts ends the run with status 126 (127: no such program).
func fail(_ message: String, status: Int32 = 126) -> Never {
    let line = "loom-sandbox-exec: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(status)
}

// Nothing the launcher had open reaches the tool: not the tools service's sockets, not bwrap's.
closefrom(3)

let options: SandboxExecOptions
do {
    options = try SandboxExecOptions(parsing: Array(CommandLine.arguments.dropFirst()))
    try ResourceLimits.apply(options)
    try SeccompFilter.apply()
} catch {
    fail("\(error)")
}
var argv: [UnsafeMutablePointer<CChar>?] = options.command.map { strdup($0) } + [nil]
execvp(options.command[0], &argv)
fail("cannot run \(options.command[0]): \(String(cString: strerror(errno)))", status: 127)
