import ArgumentParser
import Foundation
import LoomConfig
import LoomContract

/// Conversational turns through HTTP under load, with what they cost the six services.
struct BenchTurnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turns",
        abstract: "Conversational turns through HTTP: throughput, latency, CPU, storage and memory per turn, and where the time goes.")

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        /// Each turn asks about a case: two model calls and one tool call.
        case tool
        /// Turns alternate a greeting with an e-mail address and "What did I say?": one model call.
        case chat
    }

    @OptionGroup var suite: SuiteOptions
    @Option(help: "The agent to talk to.") var agent = "support"
    @Option(help: "tool: 2 model calls and 1 tool call a turn; chat: 1 model call a turn.") var scenario = Scenario.tool
    @Option(help: "Callers at once, each in a conversation of its own.") var concurrency = 1
    @Option(help: "How many turns to measure (unless --duration is given).") var count = 1000
    @Option(help: "Measure for this many seconds instead of a count.") var duration: Double?
    @Option(help: "Unmeasured warm-up turns.") var warmup = 20
    @Option(name: .customLong("turns-per-session"), help: "Turns in each conversation before a new one starts.")
    var turnsPerSession = 10
    @Option(name: .customLong("hop-samples"), help: "Measured turns whose records are read back for the per-hop breakdown.")
    var hopSamples = 100

    func validate() throws {
        guard concurrency >= 1, count >= 1, warmup >= 0, turnsPerSession >= 1, hopSamples >= 0 else {
            throw ValidationError("--concurrency, --count and --turns-per-session must be at least 1")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() async throws {
        let layout = try suite.layout()
        let scenario = scenario
        let load = TurnLoad(
            url: try suite.ingressURL().appendingPathComponent("v1/messages"), agent: agent, concurrency: concurrency,
            turnsPerConversation: turnsPerSession, text: { index in Self.text(scenario, index) })
        if warmup > 0 { _ = await load.drive(.count(warmup), phase: "warm") }
        let meter = try await SuiteMeter(layout: layout, ingress: try suite.ingressURL())
        let before = meter.read()
        let limit: TurnLoad.Limit = duration.map { .duration(.milliseconds(Int($0 * 1000))) } ?? .count(count)
        let (turns, elapsed) = await load.drive(limit, phase: "run")
        let after = meter.read()
        let samples = await hopSamples(of: turns, layout: layout)
        print(BenchTurnsReport(
            scenario: scenario.rawValue, concurrency: concurrency, turns: turns, elapsed: elapsed, before: before, after: after,
            hops: HopBreakdown(samples)).text)
    }

    static func text(_ scenario: Scenario, _ index: Int) -> String {
        switch scenario {
        case .tool: "What is the status of case C-100\(1 + index % 3)?"
        case .chat: index % 2 == 0 ? "Hi, my email is user\(index)@example.com" : "What did I say?"
        }
    }

    /// Reads back the records of turns spread evenly over the run.
    private func hopSamples(of turns: [TurnLoad.Turn], layout: SuiteLayout) async -> [HopBreakdown.Sample] {
        let answered = turns.filter { $0.status == 200 && $0.executionId != nil }.sorted { $0.sentAt < $1.sentAt }
        guard hopSamples > 0, !answered.isEmpty else { return [] }
        let stride = max(1, answered.count / hopSamples)
        var samples: [HopBreakdown.Sample] = []
        for turn in Swift.stride(from: 0, to: answered.count, by: stride).map({ answered[$0] }).prefix(hopSamples) {
            guard let executionId = turn.executionId,
                let trace = try? await ControlClient.call(
                    TraceQuery(executionId: executionId), service: "orchestrator", layout: layout, expecting: TraceResult.self),
                let execution = trace.execution
            else { continue }
            var committed: Date?
            if let sessionId = turn.sessionId,
                let session = try? await ControlClient.call(
                    SessionShowQuery(sessionId: sessionId), service: "router", layout: layout, expecting: SessionShowResult.self)
            {
                committed = session.messages.first { $0.executionId == executionId && $0.direction == .inbound }?.createdAt
            }
            samples.append(.init(
                sentAt: turn.sentAt, receivedAt: turn.receivedAt, routerCommittedAt: committed, execution: execution,
                steps: trace.steps))
        }
        return samples
    }
}
