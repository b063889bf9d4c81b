import Foundation
import LoomConfig
import LoomContract
import MCP
import Testing

@testable import LoomTools

/// The pure parts of MCP tools: result mapping, restart backoff, line framing, the JSON guard
/// and which listed tools are exposed.
@Suite struct McpPartsTests {
    @Test func resultsMapToToolCallResults() {
        let text = McpResultMapping.result(
            content: [.text(text: "12 in stock", annotations: nil, _meta: nil)], structured: nil, isError: false)
        #expect(text == ToolCallResult(success: true, result: .string("12 in stock")))
        let structured = McpResultMapping.result(
            content: [.text(text: "ignored", annotations: nil, _meta: nil)], structured: .object(["stock": .int(12)]),
            isError: nil)
        #expect(structured.result == .object(["stock": .number(12)]))
        let error = McpResultMapping.result(
            content: [.text(text: "no part Z", annotations: nil, _meta: nil)], structured: nil, isError: true)
        #expect(!error.success && error.code == "tool_error" && error.error == "no part Z" && !error.retryable)
        let image = McpResultMapping.result(
            content: [.image(data: "AAAA", mimeType: "image/png", annotations: nil, _meta: nil)], structured: nil,
            isError: false)
        #expect(image.result == .string("[image image/png, 3 bytes]"))
        let lostEffect = McpResultMapping.lost("parts", timedOut: true, sideEffects: true)
        #expect(lostEffect.code == "outcome_unknown" && !lostEffect.retryable)
        let lostRead = McpResultMapping.lost("parts", timedOut: true, sideEffects: false)
        #expect(lostRead.code == "timeout" && lostRead.retryable)
        #expect(McpResultMapping.unavailable("parts", "down").retryable)
    }

    @Test func backoffDoublesUpToItsCapAndResetsAfterAStableRun() {
        var backoff = McpBackoff(initial: .milliseconds(100), maximum: .seconds(1), stable: .seconds(10))
        let waits = (0..<6).map { _ in backoff.next(after: nil) }
        #expect(
            waits == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(backoff.next(after: .seconds(2)) == .seconds(1))
        #expect(backoff.next(after: .seconds(11)) == .milliseconds(100))
        for _ in 0..<100 { _ = backoff.next(after: nil) }
        #expect(backoff.next(after: nil) == .seconds(1))
    }

    @Test func linesAreFramedAndAnOversizedOneIsDroppedWhole() {
        var framer = McpLineFramer(limit: 8)
        #expect(framer.feed(Array("{\"a\":1}\n{\"b\"".utf8)) == [Data("{\"a\":1}".utf8)])
        #expect(framer.feed(Array(":2}\r\n\n".utf8)) == [Data("{\"b\":2}".utf8)])
        #expect(framer.feed(Array("0123456789".utf8)).isEmpty)
        #expect(framer.feed(Array("abcdef\n[1]\n".utf8)) == [Data("[1]".utf8)])
        #expect(framer.oversized == 1)
    }

    @Test func onlyMessagesWithinTheJSONLimitsPass() {
        let deep = Data((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8)
        #expect(!McpGuardedTransport.admits(deep, .standard))
        #expect(McpGuardedTransport.admits(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8), .standard))
    }

    static func tool(_ name: String, _ schema: Value = .object(["type": .string("object")])) -> Tool {
        Tool(name: name, description: nil, inputSchema: schema)
    }

    static func capability(_ server: String, _ tool: String, parameters: String = #"{"type": "object"}"#) throws
        -> CapabilityDefinition
    {
        try WireCodec.makeDecoder().decode(
            CapabilityDefinition.self,
            from: Data(
                """
                {"description": "x", "type": "mcp", "backend": {"server": "\(server)", "tool": "\(tool)"},
                 "parameters": \(parameters)}
                """.utf8))
    }

    @Test func onlyNamedToolsThatTheServerListsAreExposed() throws {
        let capabilities = [
            "lookup": try Self.capability("parts", "lookup_part"), "gone": try Self.capability("parts", "removed_tool"),
            "other": try Self.capability("billing", "lookup_part"),
        ]
        let listed = [Self.tool("lookup_part"), Self.tool("hidden_tool")]
        #expect(
            Array(McpExposure.exposed(server: "parts", capabilities: capabilities, listed: listed).keys) == [
                "lookup_part"
            ])
        #expect(McpExposure.backends(of: "parts", capabilities).keys.sorted() == ["gone", "lookup"])
    }

    @Test func parametersMustFitTheServersInputSchema() {
        let server: JSONValue = .object([
            "type": .string("object"), "required": .array([.string("sku")]),
            "properties": .object(["sku": .object(["type": .string("string")]), "note": .object([:])]),
        ])
        let fits: JSONValue = .object(["type": .string("object"), "properties": .object(["sku": .object([:])])])
        #expect(McpExposure.mismatches(parameters: fits, inputSchema: server).isEmpty)
        let wrong: JSONValue = .object(["type": .string("object"), "properties": .object(["part": .object([:])])])
        #expect(
            McpExposure.mismatches(parameters: wrong, inputSchema: server) == [
                "parameter 'part' is not in the server's inputSchema",
                "the server requires 'sku', which parameters do not offer",
            ])
    }

    @Test func valuesConvertBothWays() {
        let json: JSONValue = .object([
            "n": .number(3), "x": .number(1.5), "list": .array([.null, .bool(true), .string("s")]),
        ])
        let value = McpValue.value(json)
        #expect(
            value == .object(["n": .int(3), "x": .double(1.5), "list": .array([.null, .bool(true), .string("s")])]))
        #expect(McpValue.json(value) == json)
    }
}
