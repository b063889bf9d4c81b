import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Conversations driven through `/v1/messages` by `concurrency` callers at once, each its own
/// conversation of `turnsPerConversation` turns before it starts a new one, until `count`
/// turns were sent or `duration` has passed.
struct TurnLoad: Sendable {
    let url: URL
    let agent: String
    let concurrency: Int
    let turnsPerConversation: Int
    /// The text of a conversation's turn `index` (from 0).
    let text: @Sendable (_ index: Int) -> String
    /// Tells runs apart, so a run never continues an earlier run's sessions.
    let run = UUID().uuidString.prefix(8).lowercased()

    struct Turn: Sendable {
        var sentAt: Date
        var receivedAt: Date
        var latencyMs: Double
        var status: Int
        var executionId: String?
        var sessionId: String?
    }

    enum Limit: Sendable {
        case count(Int)
        case duration(Duration)
    }

    /// Runs the load; `phase` names the sessions, so warm-up and measured turns never share one.
    func drive(_ limit: Limit, phase: String) async -> (turns: [Turn], elapsed: Duration) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = concurrency
        configuration.timeoutIntervalForRequest = 120
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let issued = Issued()
        let clock = ContinuousClock()
        let started = clock.now
        let deadline: ContinuousClock.Instant? = if case .duration(let duration) = limit { started + duration } else { nil }
        let turns = await withTaskGroup(of: [Turn].self) { group in
            for caller in 0..<concurrency {
                group.addTask {
                    var mine: [Turn] = []
                    var conversation = 0
                    while true {
                        for index in 0..<turnsPerConversation {
                            if case .count(let count) = limit, issued.count.add(1, ordering: .relaxed).newValue > count { return mine }
                            if let deadline, clock.now >= deadline { return mine }
                            let key = "bench-\(run)-\(phase)-\(caller)-\(conversation)"
                            mine.append(await send(text(index), sessionKey: key, session: session, clock: clock))
                        }
                        conversation += 1
                    }
                }
            }
            var all: [Turn] = []
            for await turns in group { all += turns }
            return all
        }
        return (turns, clock.now - started)
    }

    private func send(_ text: String, sessionKey: String, session: URLSession, clock: ContinuousClock) async -> Turn {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try? JSONSerialization.data(withJSONObject: ["agent": agent, "text": text, "sessionKey": sessionKey])
        let sentAt = Date()
        let begin = clock.now
        var status = 0
        var json: [String: Any] = [:]
        if let (data, response) = try? await session.data(for: request) {
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            json = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
        }
        let elapsed = clock.now - begin
        return Turn(
            sentAt: sentAt, receivedAt: Date(), latencyMs: Self.milliseconds(elapsed), status: status,
            executionId: json["executionId"] as? String, sessionId: json["sessionId"] as? String)
    }

    /// Turns handed out so far, shared by the callers.
    private final class Issued: Sendable {
        let count = Atomic<Int>(0)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
