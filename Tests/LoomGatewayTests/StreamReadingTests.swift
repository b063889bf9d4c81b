import Foundation
import LoomContract
import Testing

@testable import LoomGateway

/// Server-Sent Events and the providers' stream formats, fed in awkward chunks.
struct StreamReadingTests {
    /// Feeds `text` to a parser `size` bytes at a time.
    func events(_ text: String, chunk size: Int) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        let bytes = Array(text.utf8)
        var events: [ServerSentEvent] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            events += try parser.consume(bytes[start..<min(start + size, bytes.count)])
        }
        if let last = parser.finish() { events.append(last) }
        return events
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func eventsSurviveAnyChunkBoundary(size: Int) throws {
        let stream = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n: comment\n\ndata: one\ndata: two\n\nevent: ping\rdata: {}\r\rdata: last"
        #expect(try events(stream, chunk: size) == [
            ServerSentEvent(event: "message_start", data: #"{"a":1}"#),
            ServerSentEvent(event: nil, data: "one\ntwo"),
            ServerSentEvent(event: "ping", data: "{}"),
            ServerSentEvent(event: nil, data: "last"),
        ])
    }

    @Test func aLineWithoutEndIsRefusedPastTheLimit() throws {
        var parser = ServerSentEventParser()
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: ServerSentEventParser.maxLineBytes + 1)
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try parser.consume(big) }
    }

    func read(_ reader: inout some ProviderStreamReader, _ datas: [String]) throws -> String {
        var text = ""
        for data in datas { text += try reader.read(ServerSentEvent(event: nil, data: data)) ?? "" }
        return text
    }

    @Test func openAIChunksBuildTextToolCallsAndUsage() throws {
        var reader = OpenAIStreamReader()
        let text = try read(&reader, [
            #"{"model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Let me "}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"check."}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_record","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_record","arguments":"{\"recordId\":"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"recordId\":\"C-1\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\"C-2\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":9,"total_tokens":40}}"#,
            "[DONE]",
        ])
        #expect(text == "Let me check.")
        #expect(reader.isComplete)
        let answer = try reader.answer()
        #expect(answer.toolCalls == [
            ToolCall(id: "call_1", name: "get_record", arguments: .object(["recordId": .string("C-1")])),
            ToolCall(id: "call_2", name: "get_record", arguments: .object(["recordId": .string("C-2")])),
        ])
        #expect(answer.finishReason == "tool_calls" && answer.inputTokens == 31 && answer.outputTokens == 9 && answer.model == "gpt-x")
    }

    @Test func aTruncatedOrGarbledStreamIsAnErrorNotAnAnswer() throws {
        var truncated = OpenAIStreamReader()
        _ = try read(&truncated, [#"{"choices":[{"index":0,"delta":{"content":"Half an ans"}}]}"#])
        #expect(throws: ProviderFormatError.self) { try truncated.answer() }

        var garbled = OpenAIStreamReader()
        #expect(throws: ProviderFormatError.self) { try read(&garbled, [#"{"choices": [{"delta": "#]) }

        var anthropic = AnthropicStreamReader()
        _ = try read(&anthropic, [#"{"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":5,"output_tokens":1}}}"#])
        #expect(throws: ProviderFormatError.self) { try anthropic.answer() }
    }

    @Test func anthropicEventsBuildTextToolUseAndUsage() throws {
        var reader = AnthropicStreamReader()
        let text = try read(&reader, [
            #"{"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"ping"}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" now."}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_record","input":{}}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"recordId\": "}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"C-1\"}"}}"#,
            #"{"type":"content_block_stop","index":1}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":17}}"#,
            #"{"type":"message_stop"}"#,
        ])
        #expect(text == "Checking now.")
        let answer = try reader.answer()
        #expect(answer.toolCalls == [ToolCall(id: "toolu_1", name: "get_record", arguments: .object(["recordId": .string("C-1")]))])
        #expect(answer.finishReason == "tool_calls" && answer.inputTokens == 25 && answer.outputTokens == 17)
    }

    @Test func anErrorEventInsideAStreamIsTheProvidersFailure() throws {
        var reader = AnthropicStreamReader()
        do {
            _ = try read(&reader, [#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#])
            Issue.record("an error event must throw")
        } catch let error as ProviderFormatError {
            #expect(error.reportedByProvider && error.description.contains("overloaded_error"))
        }
    }
}
