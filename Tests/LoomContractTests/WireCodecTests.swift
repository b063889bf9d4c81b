import Foundation
import LoomContract
import Testing

@Suite struct WireCodecTests {
    let codec = WireCodec()

    func envelope(_ body: any MessagePayload) -> Envelope {
        Envelope(id: "m1", correlation: Correlation(sessionId: "s1"), createdAt: Date(timeIntervalSince1970: 1_800_000_000), body: body)
    }

    func json(_ envelope: Envelope) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: codec.encode(envelope)) as? [String: Any])
    }

    func bytes(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    @Test func everyPayloadKindRoundTrips() throws {
        let payloads: [any MessagePayload] = [
            InboundMessage(channel: .api, endpoint: "api", agent: nil, sender: "s", text: "t", sessionKey: nil, externalMessageId: nil, replyTo: nil),
            ExecutionRequest(executionId: "e", agent: "a", sessionId: "s", turnId: "t", channel: .chat, endpoint: "api", inboundMessageId: "i", sender: "x", text: "y", replyTo: nil),
            OutboundMessage(executionId: "e", sessionId: "s", inReplyTo: "i", channel: .api, endpoint: "api", recipient: "r", text: "t", status: .failed, error: ExecutionError(code: "X", message: "m"), replyTo: "ing"),
            MaskRequest(scope: "s", preset: "standard", texts: ["a"]), MaskResult(texts: ["b"], detections: ["email": 1]),
            UnmaskRequest(scope: "s", texts: ["c"]), UnmaskResult(texts: ["d"], unknownTokens: ["[EMAIL_9]"]),
            CompletionRequest(agent: "a", provider: "p", model: nil, temperature: 0.2, maxTokens: 10, messages: [ChatMessage(role: .user, content: "hi")]),
            CompletionResult(text: "t", provider: "p", model: "m", usage: TokenUsage(inputTokens: 1, outputTokens: 2), finishReason: "stop"),
            RecordGetRequest(objectType: "case", recordId: "C-1"),
            RecordGetResult(objectType: "case", recordId: "C-1", fields: ["n": .number(1), "s": .string("x"), "b": .bool(true), "z": .null]),
            HealthQuery(), HealthResult(service: "x", instance: "y", counters: ["a": 1]), TraceQuery(executionId: "e"),
            SessionListQuery(limit: 3), SessionShowQuery(sessionId: "s"), ProviderLogQuery(limit: 2),
            Failure(code: "c", message: "m", retryable: true),
        ]
        for payload in payloads {
            let original = envelope(payload)
            let decoded = try codec.decode(try codec.encode(original))
            #expect(decoded.kind == type(of: payload).kind)
            #expect(try codec.encode(decoded) == codec.encode(original))
        }
    }

    @Test func recordsRoundTrip() throws {
        let encoder = WireCodec.makeEncoder()
        let decoder = WireCodec.makeDecoder()
        let now = Date(timeIntervalSince1970: 1_800_000_000.25)
        let execution = AgentExecution(id: "e", agent: "a", sessionId: "s", channel: .api, strategy: .direct, turnId: "t", status: .awaitingApproval, trigger: "x", result: "r", error: ExecutionError(code: "C", message: "m"), usage: TokenUsage(inputTokens: 3, outputTokens: 4), createdAt: now, startedAt: now, completedAt: now)
        #expect(try decoder.decode(AgentExecution.self, from: encoder.encode(execution)) == execution)
        let session = InteractionSession(id: "s", channel: .slack, endpoint: "e", continuityKey: "k", participant: "p", agent: "a", status: .closed, createdAt: now, lastActivityAt: now, turnCount: 3, rolloverReason: .turnLimit)
        #expect(try decoder.decode(InteractionSession.self, from: encoder.encode(session)) == session)
        let message = InteractionMessage(id: "m", sessionId: "s", executionId: nil, direction: .outbound, channel: .email, externalMessageId: "x", sender: "a", recipient: "b", body: "hi", attachments: [Attachment(name: "f.pdf", contentType: "application/pdf", bytes: 10)], deliveryStatus: .draft, createdAt: now, updatedAt: now)
        #expect(try decoder.decode(InteractionMessage.self, from: encoder.encode(message)) == message)
        let step = ExecutionStep(executionId: "e", sequence: 2, type: .policyDecision, content: "c", capability: "get_record", startedAt: now, durationMs: 1.5, usage: TokenUsage(inputTokens: 1, outputTokens: 1))
        #expect(try decoder.decode(ExecutionStep.self, from: encoder.encode(step)) == step)
    }

    @Test func newerMinorVersionIsAcceptedAndUnknownFieldsIgnored() throws {
        var object = try json(envelope(HealthQuery()))
        object["v"] = "1.7"
        object["futureField"] = ["x": 1]
        let decoded = try codec.decode(try bytes(object))
        #expect(decoded.contractVersion == ContractVersion(major: 1, minor: 7))
    }

    @Test func unknownMajorVersionIsATypedError() throws {
        var object = try json(envelope(HealthQuery()))
        object["v"] = "2.0"
        #expect(throws: ContractError.unsupportedVersion(ContractVersion(major: 2, minor: 0))) { try codec.decode(try bytes(object)) }
    }

    @Test func unknownKindIsATypedError() throws {
        var object = try json(envelope(HealthQuery()))
        object["kind"] = "mystery.kind"
        #expect(throws: ContractError.unknownKind("mystery.kind")) { try codec.decode(try bytes(object)) }
    }

    @Test func malformedFramesAreTypedErrors() {
        for garbage in [Data("not json".utf8), Data([0xFF, 0x00, 0x13]), Data("[]".utf8), Data("{\"v\":\"1.0\"}".utf8), Data()] {
            #expect(throws: ContractError.self) { try codec.decode(garbage) }
            do {
                _ = try codec.decode(garbage)
            } catch {
                #expect(error.code == "malformed")
            }
        }
    }

    @Test func bodyThatDoesNotMatchItsKindIsInvalidBody() throws {
        var object = try json(envelope(TraceQuery(executionId: "e")))
        object["body"] = ["executionId": 42]
        #expect {
            try codec.decode(try bytes(object))
        } throws: { error in
            guard case ContractError.invalidBody(let kind, _) = error else { return false }
            return kind == .traceQuery
        }
    }

    @Test func oversizedFrameIsRejectedBeforeParsing() {
        let small = WireCodec(maxFrameBytes: 64)
        let data = Data(repeating: UInt8(ascii: " "), count: 65)
        #expect(throws: ContractError.oversized(bytes: 65, limit: 64)) { try small.decode(data) }
    }

    @Test func traceparentParsing() {
        #expect(TraceParent(parsing: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.sampled == true)
        #expect(TraceParent(parsing: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent(parsing: "garbage") == nil)
        let random = TraceParent.random()
        #expect(TraceParent(parsing: random.description) == random)
        #expect(random.child().traceId == random.traceId)
    }
}
