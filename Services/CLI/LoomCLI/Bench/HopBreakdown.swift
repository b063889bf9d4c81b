import Foundation
import LoomContract

/// Where a turn's time went, from the timestamps the suite recorded: the caller's send, the
/// router's commit of the inbound message, the orchestrator's execution and its steps, and the
/// caller's receipt of the reply. Pure: it is given the records and returns medians.
struct HopBreakdown: Equatable {
    /// One measured turn with the records read back for it.
    struct Sample {
        var sentAt: Date
        var receivedAt: Date
        /// The router's inbound message row.
        var routerCommittedAt: Date?
        var execution: AgentExecution
        var steps: [ExecutionStep]
    }

    /// Hop name → median milliseconds, in the order a turn crosses them.
    var hops: [(name: String, medianMs: Double)]

    static func == (a: HopBreakdown, b: HopBreakdown) -> Bool {
        a.hops.map(\.name) == b.hops.map(\.name) && a.hops.map(\.medianMs) == b.hops.map(\.medianMs)
    }

    init(_ samples: [Sample]) {
        var spans: [String: [Double]] = [:]
        var order: [String] = []
        func add(_ name: String, _ ms: Double?) {
            guard let ms else { return }
            if spans[name] == nil { order.append(name) }
            spans[name, default: []].append(ms)
        }
        func ms(_ from: Date?, _ to: Date?) -> Double? {
            guard let from, let to else { return nil }
            return to.timeIntervalSince(from) * 1000
        }
        for sample in samples {
            add("caller → router commit (ingress, router)", ms(sample.sentAt, sample.routerCommittedAt))
            add("router commit → execution created", ms(sample.routerCommittedAt, sample.execution.createdAt))
            add("execution created → started", ms(sample.execution.createdAt, sample.execution.startedAt))
            var models = 0
            var calls = 0.0
            for step in sample.steps.sorted(by: { $0.sequence < $1.sequence }) {
                switch step.type {
                case .llmResponse:
                    models += 1
                    add("model call \(models) (gateway)", step.durationMs)
                    calls += step.durationMs
                case .toolResult:
                    add("tool call \(step.capability ?? "") (tools)", step.durationMs)
                    calls += step.durationMs
                default: break
                }
            }
            let running = ms(sample.execution.startedAt, sample.execution.completedAt)
            add("execution started → completed", running)
            add("  of which outside model and tool calls (orchestrator, trust)", running.map { $0 - calls })
            add("completed → caller has the reply (router, ingress)", ms(sample.execution.completedAt, sample.receivedAt))
        }
        hops = order.map { name in
            let sorted = spans[name, default: []].sorted()
            return (name, sorted.isEmpty ? 0 : sorted[sorted.count / 2])
        }
    }
}
