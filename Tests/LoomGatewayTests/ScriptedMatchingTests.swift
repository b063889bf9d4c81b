import Foundation
import LoomConfig
import LoomContract
import Testing
import Yams

@testable import LoomGateway

/// The scripted provider's matching on message text finishes on any input, and still finds
/// what it found before.
struct ScriptedMatchingTests {
    static let provider = """
        type: scripted
        model: script-1
        rules:
          - { when: "(?i)(email|e-mail) is", reply: "noted {{lastUserEmail}}" }
          - { when: "(?i)status of case ([A-Z]-\\\\d+)", reply: "case {{1}}" }
        defaultReply: "default for {{lastUserEmail}}"
        """

    func reply(to text: String) throws -> String {
        let config = try YAMLDecoder().decode(ProviderConfig.self, from: Self.provider)
        let request = CompletionRequest(
            agent: "support", provider: "p", model: nil, temperature: nil, maxTokens: nil,
            messages: [ChatMessage(role: .user, content: text)])
        return ScriptedProvider(name: "p", config: config).complete(request).0.text
    }

    @Test func aLongMessageWithoutSpacesIsAnswered() throws {
        // Backtracking patterns took minutes on this; the answer itself is what is checked.
        for filler in ["a", ".", "a.", "a@", "[", "[email_"] {
            let text = String(repeating: filler, count: 200_000 / filler.count)
            #expect(try reply(to: text).hasPrefix("default for "), "\(filler)")
        }
        let longWithAddress = String(repeating: "x", count: 200_000) + " my email is ana@example.com"
        #expect(try reply(to: longWithAddress) == "default for ana@example.com")
    }

    @Test func rulesStillMatchAndCapture() throws {
        #expect(try reply(to: "My email is ana@example.com, thanks") == "noted ana@example.com")
        #expect(try reply(to: "What is the status of case C-42?") == "case C-42")
        #expect(try reply(to: "My e-mail is [EMAIL_1] now") == "noted [EMAIL_1]")
    }

    /// After a tool result says `success: false`, a rule's `failureReply` answers, so the
    /// offline model never says "Done" about an action that did not happen.
    @Test func aFailedToolResultGetsTheFailureReply() throws {
        let yaml = """
            type: scripted
            model: script-1
            rules:
              - when: "close case ([A-Z]-\\\\d+)"
                call: { tool: update_case_status, arguments: { recordId: "{{1}}" } }
                reply: "Done: {{1}} is {{tool.result.fields.status}}."
                failureReply: "Could not update {{1}}: {{tool.error}}"
            """
        let provider = ScriptedProvider(name: "p", config: try YAMLDecoder().decode(ProviderConfig.self, from: yaml))
        func answer(after result: String) -> String {
            let request = CompletionRequest(
                agent: "support", provider: "p", model: nil, temperature: nil, maxTokens: nil,
                messages: [
                    ChatMessage(role: .user, content: "close case C-7"),
                    ChatMessage(role: .assistant, content: "", toolCalls: [
                        ToolCall(id: "call_1_1", name: "update_case_status", arguments: .object([:])),
                    ]),
                    ChatMessage(role: .tool, content: result, toolCallId: "call_1_1"),
                ])
            return provider.complete(request).0.text
        }
        #expect(answer(after: #"{"success":true,"result":{"fields":{"status":"solved"}}}"#) == "Done: C-7 is solved.")
        #expect(answer(after: #"{"success":false,"code":"not_found","error":"no case C-7"}"#)
            == "Could not update C-7: no case C-7")
        #expect(answer(after: "not json") == "Done: C-7 is .")
    }

    @Test func theFirstAddressOrTokenIsFoundAsThePatternFoundIt() {
        let cases: [(String, String?)] = [
            ("write to ana@example.com or bo@example.org", "ana@example.com"),
            ("[ email _ 12 ] then ana@example.com", "[ email _ 12 ]"),
            ("ana@example.com then [EMAIL_3]", "ana@example.com"),
            ("<ana.b@mail.example.co.uk>", "<ana.b@mail.example.co.uk"),
            ("a@b@c.example.com", "b@c.example.com"),
            ("x@y.z1 and q@r.st9", "q@r.st"),
            ("no address here", nil),
            ("@example.com", nil),
            ("[EMAIL_]", nil),
        ]
        for (text, expected) in cases {
            #expect(EmailAddressScan.first(in: text) == expected, "\(text)")
            // The same answers as the pattern this scan replaced.
            let pattern = #"\[\s*EMAIL\s*_\s*\d+\s*\]|[^\s@]+@[^\s@]+\.[A-Za-z]{2,}"#
            let old = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]).map { String(text[$0]) }
            #expect(old == expected, "\(text)")
        }
    }

    @Test func deepProviderJSONIsAMalformedAnswerNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(ToolCall.arguments(fromJSONText: deep) == .string(deep))
        #expect(ProviderErrorBody.message(in: Data(deep.utf8)) == nil)
        #expect(throws: ProviderFormatError.self) {
            let body = Data(("{\"a\":" + deep).utf8)
            _ = try ProviderFormatError.decode([String: JSONValue].self, from: body, what: "the answer")
        }
    }
}
