import Foundation
import LoomConfig
import Synchronization

/// One run of a stdio MCP server: the same sandbox chain as a command tool (``SandboxPlan``),
/// started from the launcher thread, but long-lived, with its pipes handed to a transport.
/// Its stderr is drained (the end kept for the log) so a chatty server never blocks on it.
final class McpServerProcess: Sendable {
    let stdout: FileHandle
    let stdin: FileHandle
    private let process: UncheckedProcessBox
    private let ended: AsyncStream<Void>
    private let errors = Mutex<Data>(Data())

    var pid: Int32 { process.value.processIdentifier }

    private init(process: Process, stdin: FileHandle, stdout: FileHandle, ended: AsyncStream<Void>) {
        self.process = UncheckedProcessBox(process)
        self.stdin = stdin
        self.stdout = stdout
        self.ended = ended
    }

    static func start(_ plan: SandboxPlan) async throws -> McpServerProcess {
        let child = SandboxChild(executable: plan.executable, arguments: plan.arguments, environment: plan.environment)
        try await child.start()
        let server = McpServerProcess(
            process: child.process, stdin: child.stdin.fileHandleForWriting, stdout: child.stdout.fileHandleForReading,
            ended: child.ended)
        server.drain(child.stderr.fileHandleForReading)
        return server
    }

    /// Returns when the process has exited.
    func wait() async {
        for await _ in ended {}
    }

    /// Kills the whole sandbox (bwrap's namespace goes with its first process).
    func kill() {
        let pid = self.pid
        if pid > 0 { Glibc.kill(pid, SIGKILL) }
    }

    /// The end of what the server wrote on stderr.
    var errorTail: String {
        String(decoding: errors.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func drain(_ handle: FileHandle) {
        let descriptor = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                errors.withLock {
                    $0.append(contentsOf: buffer[0..<count])
                    if $0.count > CommandProcess.errorTail { $0 = Data($0.suffix(CommandProcess.errorTail)) }
                }
            }
            try? handle.close()
        }
    }
}

/// A process touched after start only for its pid and by `kill`, both thread-safe.
private struct UncheckedProcessBox: @unchecked Sendable {
    let value: Process
    init(_ value: Process) { self.value = value }
}
