import Foundation
import LoomBus

/// SIGKILLs one service of a supervised suite and waits for the supervisor's restart of it to
/// answer its health check.
struct ChaosKiller: Sendable {
    let supervisor: Supervisor
    let started: ContinuousClock.Instant
    /// How long a killed service may take to come back before the run moves on without it.
    var recoveryTimeout: Double = 120

    var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// - Returns: what happened, or nil when the service had no process to kill.
    func kill(_ service: String) async -> ChaosFacts.Kill? {
        guard let pid = supervisor.processIdentifier(of: service), pid > 0 else { return nil }
        var fact = ChaosFacts.Kill(service: service, killedPid: pid, at: elapsed)
        guard Glibc.kill(pid, SIGKILL) == 0 else {
            supervisor.log("chaos", "cannot kill \(service) (pid \(pid)): \(String(cString: strerror(errno)))")
            return nil
        }
        supervisor.log("chaos", "SIGKILL \(service) (pid \(pid))")
        while elapsed - fact.at < recoveryTimeout, !Task.isCancelled {
            if let current = supervisor.processIdentifier(of: service), current != pid,
                await supervisor.isHealthy(service)
            {
                fact.healthyAt = elapsed
                break
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return fact
    }
}
