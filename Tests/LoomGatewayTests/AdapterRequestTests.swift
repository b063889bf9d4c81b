import Foundation
import LoomConfig
import LoomContract
import Testing
import Yams

@testable import LoomGateway

/// What goes on the wire for each provider type.
struct AdapterRequestTests {
    static func provider(_ yaml: String) throws -> ProviderConfig {
        try YAMLDecoder().decode(ProviderConfig.self, from: yaml)
    }

    static let conversation: [ChatMessage] = [
        ChatMessage(role: .system, content: "You help."),
        ChatMessage(role: .system, content: "Today is Monday."),
        ChatMessage(role: .user, content: "Compare C-1 and C-2"),
        ChatMessage(
            role: .assistant, content: "",
            toolCalls: [
                ToolCall(id: "t1", name: "get_record", arguments: .object(["recordId": .string("C-1")])),
                ToolCall(id: "t2", name: "get_record", arguments: .object(["recordId": .string("C-2")])),
            ]),
        ChatMessage(role: .tool, content: #"{"status":"open"}"#, toolCallId: "t1"),
        ChatMessage(role: .tool, content: #"{"status":"closed"}"#, toolCallId: "t2"),
    ]

    static let request = CompletionRequest(
        agent: "support", provider: "p", model: nil, temperature: 0.3, maxTokens: nil, messages: conversation,
        tools: [ToolSpec(name: "get_record", description: "Reads a record.", parameters: .object(["type": .string("object")]))])

    func json(_ request: ProviderHTTPRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
    }

    @Test func anthropicGetsTheSystemApartAndAlternatingTurns() throws {
        let config = try Self.provider("{type: anthropic, model: claude-x, apiKey: 'env:K'}")
        let http = try AnthropicMessagesAdapter(config: config).request(for: Self.request, key: "k", stream: true)
        #expect(http.url.absoluteString == "https://api.anthropic.com/v1/messages")
        #expect(http.headers.contains { $0 == ("x-api-key", "k") } && http.headers.contains { $0 == ("anthropic-version", "2023-06-01") })
        let body = try json(http)
        #expect(body["system"] as? String == "You help.\n\nToday is Monday.")
        #expect(body["max_tokens"] as? Int == AnthropicMessagesAdapter.defaultMaxTokens)
        #expect(body["stream"] as? Bool == true)
        let turns = try #require(body["messages"] as? [[String: Any]])
        #expect(turns.compactMap { $0["role"] as? String } == ["user", "assistant", "user"])
        // Both results of one response sit in one user turn.
        let results = try #require(turns[2]["content"] as? [[String: Any]])
        #expect(results.compactMap { $0["tool_use_id"] as? String } == ["t1", "t2"])
        let uses = try #require(turns[1]["content"] as? [[String: Any]])
        #expect(uses.compactMap { $0["type"] as? String } == ["tool_use", "tool_use"])
    }

    @Test func openAIGetsFunctionToolsAndNullContentForCallOnlyMessages() throws {
        let config = try Self.provider("{type: openai, model: gpt-x, apiKey: 'env:K', baseURL: 'http://localhost:1234/v1/'}")
        let http = try OpenAIChatAdapter(config: config).request(for: Self.request, key: "k", stream: false)
        #expect(http.url.absoluteString == "http://localhost:1234/v1/chat/completions")
        #expect(http.headers.contains { $0 == ("authorization", "Bearer k") })
        let body = try json(http)
        #expect(body["stream"] == nil && body["temperature"] as? Double == 0.3)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.count == 6)
        #expect(messages[3]["content"] is NSNull)
        let call = try #require((messages[3]["tool_calls"] as? [[String: Any]])?.first)
        #expect((call["function"] as? [String: Any])?["arguments"] as? String == #"{"recordId":"C-1"}"#)
        #expect(messages[4]["tool_call_id"] as? String == "t1")
    }

    @Test func azureUsesTheDeploymentURLTheApiVersionAndTheApiKeyHeader() throws {
        let config = try Self.provider(
            "{type: openai, model: gpt, apiKey: 'env:K', apiVersion: '2024-06-01', baseURL: 'https://r.openai.azure.com/openai/deployments/d1'}")
        let http = try OpenAIChatAdapter(config: config).request(for: Self.request, key: "k", stream: true)
        #expect(http.url.absoluteString == "https://r.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-06-01")
        #expect(http.headers.contains { $0 == ("api-key", "k") } && !http.headers.contains { $0.0 == "authorization" })
        #expect((try json(http)["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
    }

    @Test func wholeAnswersAreReadAndBadOnesNamed() throws {
        let config = try Self.provider("{type: openai, model: gpt-x}")
        let adapter = OpenAIChatAdapter(config: config)
        let answer = try adapter.answer(from: Data(#"""
            {"model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"c1","type":"function","function":{"name":"get_record","arguments":"not json"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":10,"completion_tokens":3}}
            """#.utf8))
        // Arguments that are not JSON reach the schema check (and the model) as text.
        #expect(answer.toolCalls == [ToolCall(id: "c1", name: "get_record", arguments: .string("not json"))])
        do {
            _ = try adapter.answer(from: Data(#"{"choices": "nope"}"#.utf8))
            Issue.record("a wrong shape must throw")
        } catch {
            #expect(error.description.contains("choices"))
        }
        #expect(throws: ProviderFormatError.self) { try adapter.answer(from: Data(#"{"choices": []}"#.utf8)) }
        #expect(adapter.errorMessage(in: Data(#"{"error":{"message":"Bad key","type":"auth"}}"#.utf8)) == "Bad key")
    }
}
