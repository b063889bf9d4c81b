import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Testing

@testable import LoomOrchestrator

@Suite struct TurnPlanTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func pending(_ index: Int, session: String, ageSeconds: Double = 10) -> TurnPlan.Pending {
        let request = ExecutionRequest(
            executionId: "exe-\(index)", agent: "helper", sessionId: session, turnId: "turn-\(index)", channel: .api,
            endpoint: "api", inboundMessageId: "in-\(index)", sender: "alice", text: "hello \(index)", replyTo: nil)
        let envelope = Envelope(id: "msg-\(index)", correlation: Correlation(sessionId: session), body: request)
        return TurnPlan.Pending(
            work: ExecutionDriver.Work(request: request, envelope: envelope, source: .peer("router")),
            receivedAt: now.addingTimeInterval(-ageSeconds))
    }

    static func plan(
        _ pending: [TurnPlan.Pending], held: Set<String> = [], running: [String: String] = [:],
        mode: TurnCoordination.Mode = .enqueue
    ) -> TurnPlan {
        TurnPlan.plan(
            pending: pending, held: held, running: running, superseded: [],
            coordination: { _ in TurnCoordination(mode: mode, windowMilliseconds: 1500) }, now: now)
    }

    static func driven(_ plan: TurnPlan) -> [String] {
        plan.jobs.compactMap { if case .drive(let work) = $0 { work.request.executionId } else { nil } }
    }

    @Test func sixHundredTurnsAwaitingApprovalDoNotHoldANewTurnInAnotherSession() {
        let held = Set((0..<600).map { "waiting-\($0)" })
        // Those sessions' later messages are pending too, and wait behind their approvals.
        let later = (0..<600).map { Self.pending($0, session: "waiting-\($0)", ageSeconds: 30) }
        let plan = Self.plan(later + [Self.pending(9999, session: "fresh", ageSeconds: 1)], held: held)
        #expect(Self.driven(plan) == ["exe-9999"])
    }

    @Test func oneTurnAtATimePerSessionOldestFirst() {
        let plan = Self.plan([Self.pending(1, session: "a", ageSeconds: 3), Self.pending(2, session: "a", ageSeconds: 2),
                              Self.pending(3, session: "b", ageSeconds: 1)])
        #expect(Self.driven(plan) == ["exe-1", "exe-3"])
    }

    @Test func aBusySessionWaitsUnderEnqueueAndRefusesUnderReject() {
        let waitingPlan = Self.plan([Self.pending(2, session: "a")], running: ["a": "exe-1"])
        #expect(waitingPlan.jobs.isEmpty)
        let rejecting = Self.plan([Self.pending(2, session: "a")], running: ["a": "exe-1"], mode: .reject)
        #expect(rejecting.jobs.count == 1)
        guard case .refuse(let work)? = rejecting.jobs.first else {
            Issue.record("expected a refusal")
            return
        }
        #expect(work.request.executionId == "exe-2")
    }

    @Test func interruptSupersedesTheRunningTurnButNotOneWaitingForApproval() {
        let running = Self.plan([Self.pending(2, session: "a")], running: ["a": "exe-1"], mode: .interrupt)
        #expect(running.supersede.map(\.running) == ["exe-1"])
        #expect(running.supersede.map(\.newer) == ["exe-2"])
        let waiting = Self.plan([Self.pending(2, session: "a")], held: ["a"], mode: .interrupt)
        #expect(waiting.supersede.isEmpty && waiting.jobs.isEmpty)
    }

    @Test func coalesceWaitsForTheBurstToSettleThenTheNewestLeads() {
        let settling = Self.plan([Self.pending(1, session: "a", ageSeconds: 1), Self.pending(2, session: "a", ageSeconds: 0.5)],
                                 mode: .coalesce)
        #expect(settling.jobs.isEmpty)
        #expect(settling.wakeAt == Self.now.addingTimeInterval(1))
        let settled = Self.plan([Self.pending(1, session: "a", ageSeconds: 4), Self.pending(2, session: "a", ageSeconds: 3)],
                                mode: .coalesce)
        guard case .drive(let lead)? = settled.jobs.first else {
            Issue.record("expected a turn")
            return
        }
        #expect(lead.request.executionId == "exe-2")
        #expect(lead.absorbing.map(\.request.executionId) == ["exe-1"])
    }
}
