import Foundation
import LoomContract
import Testing

@testable import LoomIngress

/// How `/v1/chat/completions` reads a request's messages: the last is the user's new message,
/// system and developer messages are the caller's instructions, the rest its conversation.
@Suite struct ChatCompletionTurnTests {
    static func turn(_ messages: String) throws(Problem) -> ChatCompletionsEndpoint.Turn {
        let body: ChatCompletionsEndpoint.Body
        do {
            body = try JSONDecoder().decode(
                ChatCompletionsEndpoint.Body.self, from: Data(#"{"model": "support", "messages": \#(messages)}"#.utf8))
        } catch {
            throw Problem(status: 0, title: "", detail: "\(error)", code: "undecodable")
        }
        return try body.turn()
    }

    @Test func theMessagesSplitIntoInstructionsConversationAndTheNewMessage() throws {
        let turn = try Self.turn("""
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi, I am Bob"},
             {"role": "developer", "content": [{"type": "text", "text": "Use metric units."}]},
             {"role": "assistant", "content": "Hello Bob"}, {"role": "system", "content": "  "},
             {"role": "user", "content": [{"type": "text", "text": "what"}, {"type": "image_url"}, {"type": "text", "text": "did I say?"}]}]
            """)
        #expect(turn.text == "what\ndid I say?")
        #expect(turn.conversation == CallerConversation(
            instructions: ["Be brief.", "Use metric units."],
            messages: [.init(role: .user, text: "Hi, I am Bob"), .init(role: .assistant, text: "Hello Bob")]))
        #expect(try Self.turn(#"[{"role": "user", "content": "hi"}]"#).conversation == nil)
    }

    @Test func messagesThatCannotBeATurnAreRefusedNamingTheField() {
        let cases: [(String, String)] = [
            (#"[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello"}]"#, "messages"),
            (#"[]"#, "messages"),
            (#"[{"role": "user", "content": "   "}]"#, "messages"),
            (#"[{"role": "tool", "content": "{}", "tool_call_id": "c"}, {"role": "user", "content": "hi"}]"#, "messages[0].role"),
            (#"[{"role": "user", "content": "a"}, {"role": "assistant", "content": null}, {"role": "user", "content": "b"}]"#,
             "messages[1].content"),
            (#"[{"role": "function", "content": "x"}, {"role": "user", "content": "hi"}]"#, "messages[0].role"),
        ]
        for (messages, param) in cases {
            do {
                _ = try Self.turn(messages)
                Issue.record("taken: \(messages)")
            } catch {
                #expect(error.status == 400 && error.param == param, "\(messages): \(error.detail)")
            }
        }
    }
}
