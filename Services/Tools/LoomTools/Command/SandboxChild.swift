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

    /// Set once for the whole process before the first launch: a child that stops reading must
    /// not take the service down with SIGPIPE.
    private static let ignorePipeSignal: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// - Parameters:
    ///   - environment: the launch's whole environment (``SandboxPlan/environment``).
    ///   - exited: called once the process has exited and been reaped, before `ended` finishes.
    init(
        executable: String, arguments: [String], environment: [String: String],
        exited: @escaping @Sendable () -> Void = {}
    ) {
        _ = Self.ignorePipeSignal
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let ended = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in
            exited()
            ended.continuation.finish()
        }
        self.ended = ended.stream
    }

    /// Starts it from the launcher thread (``ProcessLauncher``).
    func start() async throws { try await ProcessLauncher.shared.run(process) }
}
