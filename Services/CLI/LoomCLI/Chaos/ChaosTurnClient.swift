import Foundation
import LoomBus
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends turns to `POST /v1/messages` as a careful client does: each turn its own session key
/// and Idempotency-Key, and the same request again (same key) after a connection error, a
/// timeout, a 5xx, or a 202 that says the turn is still running, until it ends or its deadline.
struct ChaosTurnClient: Sendable {
    let url: URL
    let agent: String
    let text: String
    let run: String
    let turnTimeout: Double
    /// Whether a completed turn's reply says the action was done.
    let confirms: @Sendable (String) -> Bool
    let started: ContinuousClock.Instant
    private let session: URLSession

    init(
        baseURL: URL, agent: String, text: String, inFlight: Int, turnTimeout: Double,
        confirms: @escaping @Sendable (String) -> Bool, started: ContinuousClock.Instant
    ) {
        self.confirms = confirms
        url = baseURL.appendingPathComponent("v1/messages")
        self.agent = agent
        self.text = text
        self.turnTimeout = turnTimeout
        self.started = started
        run = UUID().uuidString.prefix(8).lowercased()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(inFlight * 2, 4)
        session = URLSession(configuration: configuration)
    }

    var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// One turn from its first request to its end; never throws: every outcome is a fact.
    func turn(_ index: Int) async -> ChaosFacts.Turn {
        var turn = ChaosFacts.Turn(index: index, accepted: false, end: .unanswered, executionIds: [], requests: 0)
        let deadline = elapsed + turnTimeout
        var pause = 0.1
        while elapsed < deadline, !Task.isCancelled {
            turn.requests += 1
            let answer = await send(index, timeout: min(45, max(deadline - elapsed, 1)))
            switch answer {
            case .ended(let end, let executionId):
                turn.accepted = true
                if let executionId { turn.executionIds.insert(executionId) }
                turn.end = end
                turn.endedAt = elapsed
                return turn
            case .pending(let executionId):
                turn.accepted = true
                if let executionId { turn.executionIds.insert(executionId) }
                pause = 0.1
                continue
            case .refused(let reason):
                turn.end = .refused(reason)
                turn.endedAt = elapsed
                return turn
            case .retry:
                try? await Task.sleep(for: .seconds(pause))
                pause = min(pause * 2, 2)
            }
        }
        return turn
    }

    private func send(_ index: Int, timeout: Double) async -> ChaosAnswer {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("chaos-\(run)-\(index)", forHTTPHeaderField: "Idempotency-Key")
        let body: [String: Any] = [
            "agent": agent, "text": text, "sessionKey": "chaos-\(run)-\(index)", "sender": "chaos",
        ]
        do {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            let (data, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            return ChaosAnswer.classify(status: status, body: json, confirms: confirms)
        } catch {
            // Connection refused or reset, or no answer in time: the same request again is safe.
            return .retry
        }
    }
}
