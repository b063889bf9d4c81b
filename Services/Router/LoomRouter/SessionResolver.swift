import Foundation
import GRDB
import LoomConfig
import LoomContract

/// Finds the session a message continues, or opens a new one when there is none or the old one
/// has rolled over (inactivity or turn limit). Runs inside the router's accepting transaction.
struct SessionResolver {
    let endpoint: ChannelEndpoint

    struct Resolution {
        var session: InteractionSession
        /// The session this message would have continued, closed by rollover.
        var rolledOver: InteractionSession?
    }

    func resolve(
        _ db: Database, channel: Channel, endpointName: String, continuityKey: String, participant: String, agent: String,
        newSessionId: String, now: Date
    ) throws -> Resolution {
        var rolledOver: InteractionSession?
        if var current = try InteractionSession.fetchOne(
            db,
            sql: """
                SELECT * FROM session WHERE channel = ? AND endpoint = ? AND continuityKey = ? AND agent = ? AND status = 'active'
                """,
            arguments: [channel.rawValue, endpointName, continuityKey, agent])
        {
            if let reason = rolloverReason(current, now: now) {
                current.status = .closed
                current.rolloverReason = reason
                try current.update(db)
                rolledOver = current
            } else {
                current.turnCount += 1
                current.lastActivityAt = now
                try current.update(db)
                return Resolution(session: current, rolledOver: nil)
            }
        }
        let session = InteractionSession(
            id: newSessionId, channel: channel, endpoint: endpointName, continuityKey: continuityKey, participant: participant,
            agent: agent, createdAt: now, lastActivityAt: now, turnCount: 1)
        try session.insert(db)
        return Resolution(session: session, rolledOver: rolledOver)
    }

    private func rolloverReason(_ session: InteractionSession, now: Date) -> InteractionSession.RolloverReason? {
        if now.timeIntervalSince(session.lastActivityAt) > endpoint.sessionInactivitySeconds { return .inactivity }
        if session.turnCount >= endpoint.sessionTurnLimit { return .turnLimit }
        return nil
    }
}
