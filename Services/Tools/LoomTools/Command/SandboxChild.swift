import Foundation

/// A sandbox launch not yet started: the process with its three pipes and a stream that ends
/// when it exits. Shared by one-shot command runs and long-lived MCP servers.
struct SandboxChild {
    let process: Process
    let stdin: Pipe
    let stdout: Pipe
    let stderr: Pipe
    /// Finishes when the process has exited.
    let ended: AsyncStream<Void>

    init(executable: String, arguments: [String]) {
        // A child that stops reading must not take the service down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"]
        (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let ended = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in ended.continuation.finish() }
        self.ended = ended.stream
    }

    /// Starts it from the launcher thread (``ProcessLauncher``).
    func start() async throws { try await ProcessLauncher.shared.run(process) }
}
