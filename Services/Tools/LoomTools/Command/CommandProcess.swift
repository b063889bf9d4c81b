import Foundation
import Synchronization

/// Runs one sandbox launch: writes the input to its stdin, collects stdout up to a cap and the
/// end of stderr, and kills it when it outlives its wall time or writes too much. Blocking pipe
/// I/O happens on threads of its own, never on the cooperative pool.
enum CommandProcess {
    enum Outcome: Equatable, Sendable {
        case exited(status: Int32, output: Data, errors: String)
        case signalled(Int32, errors: String)
        case timedOut(errors: String)
        case outputTooLarge
        case couldNotStart(String)
    }

    /// At most this much of stderr is kept: its end, where the error usually is.
    static let errorTail = 4096

    static func run(
        executable: String, arguments: [String], environment: [String: String], input: Data, wallSeconds: Double,
        outputBytes: Int
    ) async -> Outcome {
        let stopper = Stopper()
        let child = SandboxChild(executable: executable, arguments: arguments, environment: environment) {
            stopper.ended()
        }
        let (process, stdin, stdout, stderr) = (child.process, child.stdin, child.stdout, child.stderr)
        do {
            try await child.start()
        } catch {
            return .couldNotStart("\(executable): \(error)")
        }
        stopper.started(pid: process.processIdentifier)
        let kill: @Sendable (StopReason) -> Void = { stopper.stop($0) }
        Thread.detachNewThread {
            stdin.fileHandleForWriting.writeAllIgnoringErrors(input)
            try? stdin.fileHandleForWriting.close()
        }
        async let output = collect(stdout.fileHandleForReading, keep: outputBytes, head: true) {
            kill(.outputTooLarge)
        }
        async let errors = collect(stderr.fileHandleForReading, keep: errorTail, head: false) {}
        let timer = Task {
            try? await Task.sleep(for: .seconds(wallSeconds))
            if !Task.isCancelled { kill(.timedOut) }
        }
        for await _ in child.ended {}
        timer.cancel()
        let (data, tail) = await (output, errors)
        let errorText = String(decoding: tail.data, as: UTF8.self)
        switch stopper.reason {
        case .outputTooLarge?: return .outputTooLarge
        case .timedOut?: return .timedOut(errors: errorText)
        case nil: break
        }
        if process.terminationReason == .uncaughtSignal {
            return .signalled(process.terminationStatus, errors: errorText)
        }
        return .exited(status: process.terminationStatus, output: data.data, errors: errorText)
    }

    fileprivate enum StopReason { case timedOut, outputTooLarge }

    /// Kills the launch once, remembering why. Killing `bwrap` ends the whole sandbox: its pid
    /// namespace's first process dies with it (`--die-with-parent`), and the kernel kills every
    /// process left in a namespace whose first process is gone. A launch known to have ended is
    /// never signalled: its pid may already belong to another process.
    private final class Stopper: Sendable {
        private struct State {
            var pid: Int32 = 0
            var reason: StopReason?
            var ended = false
        }

        private let state = Mutex(State())

        var reason: StopReason? { state.withLock { $0.reason } }

        func started(pid: Int32) { state.withLock { $0.pid = pid } }

        func ended() { state.withLock { $0.ended = true } }

        func stop(_ reason: StopReason) {
            state.withLock { state in
                guard state.reason == nil, !state.ended, state.pid > 0 else { return }
                state.reason = reason
                // Under the lock, so the end cannot be recorded between the check and the kill.
                kill(state.pid, SIGKILL)
            }
        }
    }

    private struct Collected: Sendable {
        var data: Data
        var overflowed: Bool
    }

    /// Reads to the end. `head`: keeps the first `keep` bytes and calls `overflow` once when more
    /// arrive; otherwise keeps the last `keep` bytes.
    private static func collect(
        _ handle: FileHandle, keep: Int, head: Bool, overflow: @escaping @Sendable () -> Void
    ) async -> Collected {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var kept = Data()
                var overflowed = false
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let descriptor = handle.fileDescriptor
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { break }
                    if head {
                        if overflowed { continue }
                        kept.append(contentsOf: buffer[0..<count])
                        if kept.count > keep {
                            overflowed = true
                            kept = Data()
                            overflow()
                        }
                    } else {
                        kept.append(contentsOf: buffer[0..<count])
                        if kept.count > keep * 2 { kept = kept.suffix(keep) }
                    }
                }
                try? handle.close()
                continuation.resume(returning: Collected(data: head ? kept : kept.suffix(keep), overflowed: overflowed))
            }
        }
    }
}

extension FileHandle {
    /// Writes what the reader takes; a reader that went away ends the write (EPIPE), which is
    /// the program's business, not an error of the call.
    func writeAllIgnoringErrors(_ data: Data) {
        let descriptor = fileDescriptor
        data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
