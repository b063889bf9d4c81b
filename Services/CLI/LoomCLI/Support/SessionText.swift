import Foundation
import LoomContract

/// What `loom sessions list` and `show` print: pure, from the router's records.
enum SessionText {
    static func list(_ sessions: [InteractionSession]) -> String {
        let header = ["SESSION", "STATUS", "AGENT", "CHANNEL/ENDPOINT", "KEY", "TURNS", "LAST ACTIVITY"]
        let rows = sessions.map { session in
            [
                session.id, session.status.rawValue, session.agent, "\(session.channel.rawValue)/\(session.endpoint)",
                session.continuityKey, "\(session.turnCount)",
                session.lastActivityAt.formatted(.iso8601) + (session.rolloverReason.map { " (rolled over: \($0.rawValue))" } ?? ""),
            ]
        }
        guard !rows.isEmpty else { return "no sessions" }
        return table([header] + rows)
    }

    static func show(_ session: InteractionSession, _ messages: [InteractionMessage]) -> String {
        var lines = [
            "session \(session.id)  \(session.status.rawValue)  agent \(session.agent)  key \(session.continuityKey)  "
                + "turns \(session.turnCount)",
        ]
        for message in messages {
            let arrow = message.direction == .inbound ? "→" : "←"
            let detail = message.deliveryDetail.map { " (\($0))" } ?? ""
            // The channel provider's own id of the message (Slack event, Twilio SID, Message-ID, …).
            let external = message.externalMessageId.map { "  [id \($0)]" } ?? ""
            lines.append("  \(arrow) [\(message.deliveryStatus.rawValue)\(detail)] \(message.sender): \(message.body)\(external)")
        }
        return lines.joined(separator: "\n")
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (index, cell) in row.enumerated() {
                if index < widths.count { widths[index] = max(widths[index], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
