import LoomContract
import Testing

/// Every status against every event: the allowed transitions land where the lifecycle says,
/// everything else is refused.
@Suite struct ExecutionLifecycleTests {
    typealias Status = AgentExecution.Status

    static let allowed: [Status: [LifecycleEvent: Status]] = [
        .pending: [.start: .running, .fail: .failed, .cancel: .cancelled],
        .running: [
            .awaitConfirmation: .awaitingConfirmation, .awaitApproval: .awaitingApproval, .complete: .completed, .fail: .failed,
            .cancel: .cancelled,
        ],
        .awaitingConfirmation: [.resume: .running, .fail: .failed, .cancel: .cancelled],
        .awaitingApproval: [.resume: .running, .fail: .failed, .cancel: .cancelled],
        .completed: [:], .failed: [:], .cancelled: [:],
    ]

    @Test(arguments: Status.allCases)
    func everyEventFromEveryStatus(_ status: Status) throws {
        for event in LifecycleEvent.allCases {
            if let expected = Self.allowed[status]?[event] {
                #expect(try status.after(event) == expected, "\(status) + \(event)")
            } else {
                #expect(throws: IllegalTransition(from: status, event: event)) { try status.after(event) }
            }
        }
    }

    @Test func aPausedExecutionGoesBackToRunningAndThenFinishes() throws {
        let paused = try Status.pending.after(.start).after(.awaitApproval)
        #expect(paused == .awaitingApproval)
        #expect(try paused.after(.resume).after(.complete) == .completed)
        #expect(throws: IllegalTransition.self) { try paused.after(.complete) }  // no finishing while waiting
    }

    @Test func guardsForStorageFollowTheSameRules() {
        #expect(Set(Status.accepting(.complete)) == [.running])
        #expect(Set(Status.accepting(.cancel)) == [.pending, .running, .awaitingConfirmation, .awaitingApproval])
        #expect(Status.accepting(.start) == [.pending])
    }
}
