/// What one HTTP answer to `POST /v1/messages` means for a client that retries with the same
/// Idempotency-Key: the turn ended, the suite holds it and the client should ask again, the
/// request should be retried, or the suite refused the message for good.
enum ChaosAnswer: Equatable, Sendable {
    case ended(ChaosFacts.TurnEnd, executionId: String?)
    case pending(executionId: String?)
    case retry
    case refused(String)

    static let finalStatuses: Set<String> = ["completed", "failed", "cancelled"]

    /// - Parameters:
    ///   - status: the HTTP status code.
    ///   - body: the decoded JSON body, if it was a JSON object.
    ///   - confirms: whether a completed turn's reply says the action was done.
    static func classify(
        status: Int, body: [String: Any]?, confirms: (String) -> Bool = { _ in true }
    ) -> ChaosAnswer {
        let executionId = body?["executionId"] as? String
        switch status {
        case 200...299:
            let turnStatus = body?["status"] as? String ?? ""
            guard finalStatuses.contains(turnStatus) else { return .pending(executionId: executionId) }
            if turnStatus == "completed" {
                let reply = body?["reply"] as? String ?? ""
                let end: ChaosFacts.TurnEnd = confirms(reply) ? .completed : .reportedFailure(String(reply.prefix(60)))
                return .ended(end, executionId: executionId)
            }
            let error = body?["error"] as? [String: Any]
            let reason = (error?["code"] as? String).map { "\(turnStatus): \($0)" } ?? turnStatus
            return .ended(.failed(reason), executionId: executionId)
        case 0, 408, 425, 429, 500...599:
            return .retry
        default:
            let code = body?["code"] as? String ?? body?["type"] as? String
            return .refused(code.map { "\(status) \($0)" } ?? "\(status)")
        }
    }
}
