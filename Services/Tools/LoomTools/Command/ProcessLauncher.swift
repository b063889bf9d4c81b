import Foundation
import Synchronization

/// Starts processes from one thread that lives as long as the service. `bwrap --die-with-parent`
/// sets PR_SET_PDEATHSIG, which the kernel fires when the *thread* that spawned the sandbox
/// exits; a cooperative-pool thread retired after a few idle seconds would take a still-running
/// tool with it.
final class ProcessLauncher: Sendable {
    static let shared = ProcessLauncher()

    private final class Jobs: Sendable {
        let pending = Mutex<[@Sendable () -> Void]>([])
        let ready = DispatchSemaphore(value: 0)
    }

    private let jobs = Jobs()

    private init() {
        let thread = Thread { [jobs] in
            while true {
                jobs.ready.wait()
                let job = jobs.pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                job?()
            }
        }
        thread.name = "loom-tools-launcher"
        thread.start()
    }

    /// Runs `process.run()` on the launcher thread.
    func run(_ process: Process) async throws {
        let box = UncheckedProcess(process)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            jobs.pending.withLock {
                $0.append {
                    do {
                        try box.process.run()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
            jobs.ready.signal()
        }
    }
}

/// A process handed to the launcher thread; only that thread touches it until it has started.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
