import Foundation

/// The report as the bench prints it.
extension ChaosReport {
    func text(inFlight: Int, seconds: Double) -> String {
        var lines = [
            "turns: \(turns) (\(inFlight) in flight) in \(Self.format(seconds)) s, \(requests) HTTP requests "
                + "(\(requests - turns) retries)",
            "accepted \(accepted)  completed \(completed)  reported failure \(reportedFailures)  failed \(failed)  "
                + "not accepted \(notAccepted)",
            "side effects counted \(sideEffects)  duplicates \(duplicates)  lost \(lost)  "
                + "done-without-effect \(doneWithoutEffect)",
            "failed-with-effect \(failedWithEffect)  unattributed effects \(unattributedEffects)",
        ]
        for (reason, count) in failureReasons.sorted(by: { $0.key < $1.key }) {
            lines.append("  failure: \(count) × \(reason)")
        }
        if !recoveries.isEmpty { lines.append("recovery after each SIGKILL (seconds from the kill):") }
        for recovery in recoveries {
            let service = recovery.service.padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append(
                "  \(service) at \(Self.format(recovery.killedAt))  healthy \(Self.format(recovery.healthyAfter))"
                    + "  first completed turn \(Self.format(recovery.firstCompletionAfter))"
                    + "  recovered \(Self.format(recovery.recoveredAfter))")
        }
        for window in fullDisk {
            lines.append(
                "full disk: \(window.service) from \(Self.format(window.from)) to \(Self.format(window.until)) s "
                    + "(\(window.filledBytes / 1024) KiB filled)")
        }
        lines.append(passed ? "result: PASS" : "result: FAIL (lost, duplicated or done-without-effect turns)")
        return lines.joined(separator: "\n")
    }

    static func format(_ seconds: Double?) -> String {
        guard let seconds else { return "never" }
        return String(format: "%.2f", seconds)
    }
}
