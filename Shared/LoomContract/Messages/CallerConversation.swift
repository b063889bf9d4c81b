import Foundation

/// What an OpenAI-style caller sent besides its new message: its own instructions (system and
/// developer messages) and the earlier user and assistant messages, oldest first.
/// Ingress → router → orchestrator.
public struct CallerConversation: Sendable, Codable, Equatable {
    public struct Message: Sendable, Codable, Equatable {
        public enum Role: String, Sendable, Codable, CaseIterable { case user, assistant }

        public var role: Role
        public var text: String

        public init(role: Role, text: String) {
            self.role = role
            self.text = text
        }
    }

    /// Layered after the agent's own instructions, which take precedence.
    public var instructions: [String]
    /// The conversation before the new message. On the way to the orchestrator it is nil when
    /// the session's own memory supplies the history instead.
    public var messages: [Message]?

    public init(instructions: [String], messages: [Message]?) {
        self.instructions = instructions
        self.messages = messages
    }

    /// Whether it carries anything at all.
    public var isEmpty: Bool { instructions.isEmpty && (messages ?? []).isEmpty }
}
