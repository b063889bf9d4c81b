import Foundation
import LoomContract
import Testing

@testable import LoomCLI

/// The pure parts of `loom bench turns`: reading `/proc` lines and splitting a turn into hops.
@Suite struct BenchTurnsTests {
    @Test func cpuIsReadAfterACommandNameWithSpacesAndParentheses() throws {
        let ticks = ProcessMeter.ticksPerSecond
        let stat = "4242 (loom (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 \(Int(ticks) * 3) \(Int(ticks)) 0 0 20 0 9 0 1234 0 0"
        #expect(ProcessMeter.cpuMilliseconds(stat: stat) == 4000)
        #expect(ProcessMeter.cpuMilliseconds(stat: "4242 (cut") == nil)
        #expect(ProcessMeter.cpuMilliseconds(stat: "4242 (short) S 1 2") == nil)
        let status = "Name:\tloom-router\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n"
        #expect(ProcessMeter.kibibytes("VmRSS", in: status) == 40960)
        #expect(ProcessMeter.kibibytes("VmHWM", in: status) == 51200)
        #expect(ProcessMeter.kibibytes("VmSwap", in: status) == nil)
    }

    @Test func aTurnSplitsIntoItsHopsInOrderWithMedians() throws {
        let zero = Date(timeIntervalSince1970: 1_800_000_000)
        func sample(scale: Double) -> HopBreakdown.Sample {
            let execution = AgentExecution(
                id: "exe", agent: "support", sessionId: "ses", channel: .api, strategy: .conversational, turnId: "t",
                status: .completed, trigger: "", createdAt: zero + 0.010 * scale, startedAt: zero + 0.012 * scale,
                completedAt: zero + 0.040 * scale)
            let steps = [
                ExecutionStep(executionId: "exe", sequence: 3, type: .toolResult, content: "", capability: "get_record",
                              startedAt: zero, durationMs: 5 * scale),
                ExecutionStep(executionId: "exe", sequence: 2, type: .llmResponse, content: "", startedAt: zero, durationMs: 4 * scale),
                ExecutionStep(executionId: "exe", sequence: 5, type: .llmResponse, content: "", startedAt: zero, durationMs: 3 * scale),
            ]
            return .init(
                sentAt: zero, receivedAt: zero + 0.045 * scale, routerCommittedAt: zero + 0.004 * scale, execution: execution,
                steps: steps)
        }
        let hops = HopBreakdown([sample(scale: 1), sample(scale: 3), sample(scale: 2)]).hops
        #expect(hops.map(\.name) == [
            "caller → router commit (ingress, router)", "router commit → execution created", "execution created → started",
            "model call 1 (gateway)", "tool call get_record (tools)", "model call 2 (gateway)", "execution started → completed",
            "  of which outside model and tool calls (orchestrator, trust)", "completed → caller has the reply (router, ingress)",
        ])
        let expected = [4.0, 6, 2, 4, 5, 3, 28, 16, 5].map { $0 * 2 }
        for (hop, value) in zip(hops, expected) {
            #expect(abs(hop.medianMs - value) < 0.01, "\(hop.name): \(hop.medianMs)")
        }
        #expect(HopBreakdown([]).hops.isEmpty)
    }
}
