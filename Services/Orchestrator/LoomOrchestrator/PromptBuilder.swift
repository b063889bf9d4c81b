import Foundation
import LoomConfig
import LoomContract

/// Assembles the prompt in a fixed order: system context (identity, instructions, date and
/// time zone), then the remembered turns, then the current turn.
struct PromptBuilder {
    let agent: AgentDefinition

    /// One complete earlier turn: what the user said and what the agent answered (both masked).
    struct Turn: Equatable {
        var user: String
        var assistant: String
    }

    func messages(history: [Turn], userText: String, now: Date, timeZone: TimeZone = .gmt) -> [ChatMessage] {
        var system = agent.identity.trimmingCharacters(in: .whitespacesAndNewlines)
        let instructions = agent.instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        if !instructions.isEmpty { system += "\n\n" + instructions }
        let formatted = now.formatted(Date.ISO8601FormatStyle(timeZone: timeZone))
        system += "\n\nCurrent date and time: \(formatted) (time zone \(timeZone.identifier))."
        var messages = [ChatMessage(role: .system, content: system)]
        for turn in remembered(history) {
            messages.append(ChatMessage(role: .user, content: turn.user))
            messages.append(ChatMessage(role: .assistant, content: turn.assistant))
        }
        messages.append(ChatMessage(role: .user, content: userText))
        return messages
    }

    /// The turns the memory strategy keeps: the last N for a buffer window, none for `none`.
    func remembered(_ history: [Turn]) -> [Turn] {
        switch agent.memory.strategy {
        case .none: []
        case .bufferWindow, .summaryBuffer: Array(history.suffix(agent.memory.turns))
        }
    }
}
