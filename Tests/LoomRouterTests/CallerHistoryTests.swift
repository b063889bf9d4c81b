import LoomConfig
import LoomContract
import Testing

@testable import LoomRouter

/// Whose history an OpenAI-style turn uses, for each endpoint policy.
@Suite struct CallerHistoryTests {
    typealias Message = CallerConversation.Message

    static let held: [Message] = [
        .init(role: .user, text: "Hi, I am Bob"), .init(role: .assistant, text: "Hello Bob"),
        .init(role: .user, text: "I like tea"), .init(role: .assistant, text: "Noted"),
    ]

    static func sending(_ messages: [Message], instructions: [String] = []) -> CallerConversation {
        CallerConversation(instructions: instructions, messages: messages)
    }

    @Test func withoutASessionKeyTheCallersMessagesAreTheConversation() throws {
        let sent = Self.sending([.init(role: .user, text: "anything")], instructions: ["Be brief."])
        let decision = try CallerHistory(policy: .refuse).decide(sent, hasSessionKey: false, held: [])
        #expect(decision == .init(conversation: sent, used: "request"))
        let none = try CallerHistory(policy: .refuse).decide(nil, hasSessionKey: false, held: [])
        #expect(none == .init(conversation: nil, used: nil))
    }

    @Test func historyTheSessionHoldsIsAnsweredFromTheSessionWithTheInstructionsKept() throws {
        for sent in [Self.held, Array(Self.held.suffix(2)), [Message(role: .assistant, text: "  Noted\n")]] {
            let decision = try CallerHistory(policy: .refuse).decide(
                Self.sending(sent, instructions: ["Be brief."]), hasSessionKey: true, held: Self.held)
            #expect(decision == .init(conversation: .init(instructions: ["Be brief."], messages: nil), used: "session"))
        }
        let bare = try CallerHistory(policy: .refuse).decide(Self.sending(Self.held), hasSessionKey: true, held: Self.held)
        #expect(bare == .init(conversation: nil, used: "session"))
        let onlyNew = try CallerHistory(policy: .refuse).decide(Self.sending([]), hasSessionKey: true, held: [])
        #expect(onlyNew == .init(conversation: nil, used: nil))
    }

    @Test func historyTheSessionDoesNotHoldFollowsThePolicy() throws {
        let edited = [Self.held[0], Message(role: .assistant, text: "Hello Robert")] + Self.held.suffix(2)
        #expect(CallerHistory.firstDifference(sent: edited, held: Self.held) == 1)
        #expect(throws: CallerHistory.Mismatch.self) {
            try CallerHistory(policy: .refuse).decide(Self.sending(edited), hasSessionKey: true, held: Self.held)
        }
        let request = try CallerHistory(policy: .request).decide(Self.sending(edited), hasSessionKey: true, held: Self.held)
        #expect(request == .init(conversation: Self.sending(edited), used: "request"))
        let session = try CallerHistory(policy: .session).decide(Self.sending(edited), hasSessionKey: true, held: Self.held)
        #expect(session == .init(conversation: nil, used: "session-differs"))
    }

    @Test func moreHistoryThanTheSessionHoldsOrAnotherRoleIsAMismatch() throws {
        let longer = [Message(role: .user, text: "earlier still"), .init(role: .assistant, text: "yes")] + Self.held
        #expect(CallerHistory.firstDifference(sent: longer, held: Self.held) == 0)
        let swapped = [Message(role: .user, text: "Noted")]
        #expect(CallerHistory.firstDifference(sent: swapped, held: Self.held) == 0)
        do {
            _ = try CallerHistory(policy: .refuse).decide(Self.sending(longer), hasSessionKey: true, held: Self.held)
            Issue.record("a longer history was taken")
        } catch {
            #expect(error.detail.hasPrefix("messages[0] is not what the session holds (it holds 4 of the 6"))
        }
    }
}
