import Foundation

/// Fault injection for crash tests: a process started with `LOOM_CRASH_AT=name[,name…]` SIGKILLs
/// itself the first time it reaches a named point, so a test can stop it exactly between two
/// durable steps (an answer received and not yet committed, a commit not yet acknowledged),
/// which a SIGKILL from outside hits only by luck.
///
/// Each point fires once per data directory: before dying the process creates
/// `<LOOM_DATA_DIR>/crash-points/<name>` (exclusively, synced), and a restarted process that
/// finds the marker goes past the point. Unarmed, `reach` is one empty-set check.
///
/// Points: `orchestrator.answered.<kind>` (a call's answer is in memory, its record is not yet
/// committed; kinds as in the history: `model`, `tool`, `mask`, …) and
/// `router.committed-inbound` (an inbound message is committed, its ACK not yet sent).
public final class CrashPoints: Sendable {
    public static let shared = CrashPoints(environment: ProcessInfo.processInfo.environment)

    /// The points this process is armed with.
    public let armed: Set<String>
    private let markers: URL?

    public init(environment: [String: String]) {
        armed = Set((environment["LOOM_CRASH_AT"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty })
        markers = environment["LOOM_DATA_DIR"].map {
            URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent("crash-points", isDirectory: true)
        }
    }

    /// Dies here by SIGKILL when `name` is armed and has not fired for this data directory yet.
    public func reach(_ point: @autoclosure () -> String) {
        guard !armed.isEmpty else { return }
        let name = point()
        guard armed.contains(name), claim(name) else { return }
        kill(getpid(), SIGKILL)
    }

    /// Whether this call is the first to reach `name`: it created the marker and synced it.
    /// Without a data directory (or when the marker cannot be written) the point never fires,
    /// so a crash test fails loudly instead of a process dying in a loop.
    func claim(_ name: String) -> Bool {
        guard let markers, !name.contains("/") else { return false }
        do {
            try FileManager.default.createDirectory(at: markers, withIntermediateDirectories: true)
        } catch {
            return false
        }
        let descriptor = open(markers.appendingPathComponent(name).path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { return false }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        let directory = open(markers.path, O_RDONLY)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
        return synced
    }
}
