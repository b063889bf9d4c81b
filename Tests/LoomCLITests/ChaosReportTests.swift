import Testing

@testable import LoomCLI

/// The chaos bench's verdict from observed facts, its reading of HTTP answers and its schedule.
@Suite struct ChaosReportTests {
    func turn(
        _ index: Int, _ end: ChaosFacts.TurnEnd, accepted: Bool = true, executions: Set<String>? = nil,
        requests: Int = 1, at: Double? = nil
    ) -> ChaosFacts.Turn {
        ChaosFacts.Turn(
            index: index, accepted: accepted, end: end, executionIds: executions ?? ["exe_\(index)"],
            requests: requests, endedAt: at ?? Double(index))
    }

    func effects(_ executions: String...) -> [ChaosFacts.Effect] {
        executions.map { ChaosFacts.Effect(executionId: $0, capability: "update_case_status") }
    }

    @Test func aCleanRunPasses() {
        let report = ChaosReport(
            turns: [turn(0, .completed), turn(1, .completed, requests: 3)], effects: effects("exe_0", "exe_1"),
            kills: [])
        #expect(report.accepted == 2 && report.completed == 2 && report.sideEffects == 2)
        #expect(report.lost == 0 && report.duplicates == 0 && report.doneWithoutEffect == 0)
        #expect(report.requests == 4)
        #expect(report.passed)
    }

    @Test func twoEffectsForOneTurnAreADuplicateAcrossItsExecutions() {
        let report = ChaosReport(
            turns: [turn(0, .completed, executions: ["exe_a", "exe_b"]), turn(1, .completed)],
            effects: effects("exe_a", "exe_b", "exe_1"), kills: [])
        #expect(report.duplicates == 1)
        #expect(!report.passed)
    }

    @Test func successWithoutAnEffectAndAnAcceptedTurnWithoutAnEndFail() {
        let report = ChaosReport(
            turns: [turn(0, .completed), turn(1, .unanswered), turn(2, .unanswered, accepted: false)],
            effects: effects("exe_1"), kills: [])
        #expect(report.doneWithoutEffect == 1)
        #expect(report.lost == 1)
        #expect(report.notAccepted == 1)
        #expect(!report.passed)
    }

    @Test func failuresAreCountedByReasonAndMayHaveActed() {
        let report = ChaosReport(
            turns: [turn(0, .failed("failed: TOOL_FAILED")), turn(1, .refused("422 missing_text"), accepted: false)],
            effects: effects("exe_0", "exe_stray"), kills: [])
        #expect(report.failed == 1 && report.failedWithEffect == 1)
        #expect(report.notAccepted == 1)
        #expect(report.unattributedEffects == 1)
        #expect(report.failureReasons == ["failed: TOOL_FAILED": 1, "refused: 422 missing_text": 1])
        #expect(report.passed)
    }

    @Test func aReportedFailureIsHonestUnlessTheEffectHappened() {
        let report = ChaosReport(
            turns: [turn(0, .reportedFailure("I could not update")), turn(1, .reportedFailure("I could not update"))],
            effects: effects("exe_1"), kills: [])
        #expect(report.reportedFailures == 2 && report.completed == 0 && report.doneWithoutEffect == 0)
        #expect(report.failedWithEffect == 1)
        #expect(report.failureReasons == ["reply: I could not update": 2])
        #expect(report.passed)
    }

    @Test func recoveryWaitsForHealthAndACompletedTurn() {
        let turns = [turn(0, .completed, at: 1), turn(1, .completed, at: 5.5), turn(2, .completed, at: 9)]
        let kills = [
            ChaosFacts.Kill(service: "tools", killedPid: 10, at: 5, healthyAt: 7),
            ChaosFacts.Kill(service: "router", killedPid: 11, at: 9.5, healthyAt: nil),
        ]
        let report = ChaosReport(turns: turns, effects: effects("exe_0", "exe_1", "exe_2"), kills: kills)
        #expect(report.recoveries[0].healthyAfter == 2)
        #expect(report.recoveries[0].firstCompletionAfter == 0.5)
        #expect(report.recoveries[0].recoveredAfter == 4)
        #expect(report.recoveries[1].recoveredAfter == nil && report.recoveries[1].firstCompletionAfter == nil)
        #expect(report.text(inFlight: 2, seconds: 10).contains("recovered never"))
    }

    @Test func answersAreReadAsARetryingClientReadsThem() {
        #expect(ChaosAnswer.classify(status: 200, body: ["status": "completed", "executionId": "exe_1"])
            == .ended(.completed, executionId: "exe_1"))
        #expect(ChaosAnswer.classify(status: 200, body: ["status": "failed", "error": ["code": "TOOL_FAILED"]])
            == .ended(.failed("failed: TOOL_FAILED"), executionId: nil))
        let done: (String) -> Bool = { $0.hasPrefix("Done:") }
        #expect(ChaosAnswer.classify(status: 200, body: ["status": "completed", "reply": "Done: ok"], confirms: done)
            == .ended(.completed, executionId: nil))
        #expect(
            ChaosAnswer.classify(status: 200, body: ["status": "completed", "reply": "I could not"], confirms: done)
                == .ended(.reportedFailure("I could not"), executionId: nil))
        #expect(ChaosAnswer.classify(status: 202, body: ["status": "pending", "executionId": "exe_2"])
            == .pending(executionId: "exe_2"))
        #expect(ChaosAnswer.classify(status: 503, body: ["code": "router_unavailable"]) == .retry)
        #expect(ChaosAnswer.classify(status: 0, body: nil) == .retry)
        #expect(ChaosAnswer.classify(status: 422, body: ["code": "missing_text"]) == .refused("422 missing_text"))
    }

    @Test func disruptionsAreSpreadOverTheRunWithTheFullDiskLast() {
        let schedule = ChaosSchedule(
            turns: 100, rounds: 2, services: ["orchestrator", "tools"], fullDisk: ("tools", 5))
        #expect(schedule.events.map(\.after) == [16, 33, 50, 66, 83])
        #expect(schedule.events.first?.action == .kill("orchestrator"))
        #expect(schedule.events.last?.action == .fillDisk("tools", seconds: 5))
        #expect(ChaosSchedule(turns: 30, rounds: 0, services: ["tools"]).events.isEmpty)
    }
}
