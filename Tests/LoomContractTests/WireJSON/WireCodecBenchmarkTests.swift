import Foundation
import Testing

@testable import LoomContract

/// Foundation's configured coders against the wire's own on two realistic envelopes.
/// Off by default; `LOOM_CODEC_BENCH=1` runs it. It prints timings and asserts none of them.
/// Run it with `SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0` and `-c release`: the testing library
/// otherwise records a backtrace for every thrown error, which Foundation's decoder throws many
/// of (and discards) while reading JSONValue, so its times would be ten times what a service sees.
@Suite struct WireCodecBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["LOOM_CODEC_BENCH"] == "1"
    static let iterations = Int(ProcessInfo.processInfo.environment["LOOM_CODEC_BENCH_ITERATIONS"] ?? "") ?? 2000

    @Test(.enabled(if: enabled)) func encodeAndDecodeEnvelopes() throws {
        let samples = [
            ("CompletionRequest, 10 turns, 3 tools", Self.completionEnvelope()), ("MaskRequest", Self.maskEnvelope())
        ]
        let foundationEncoder = WireCodec.makeEncoder()
        let foundationDecoder = WireCodec.makeDecoder()
        let wireEncoder = WireJSONEncoder()
        let wireDecoder = WireJSONDecoder()
        print("| sample | bytes | step | Foundation ns/op | wire ns/op | speedup |")
        print("|---|---|---|---|---|---|")
        for (name, envelope) in samples {
            let value = WireEnvelope(envelope)
            let bytes = try wireEncoder.encode(value)
            #expect(bytes == (try foundationEncoder.encode(value)))
            let encodeOld = try Self.nanoseconds { _ = try foundationEncoder.encode(value) }
            let encodeNew = try Self.nanoseconds { _ = try wireEncoder.encode(value) }
            let decodeOld = try Self.nanoseconds { _ = try foundationDecoder.decode(WireEnvelope.self, from: bytes) }
            let decodeNew = try Self.nanoseconds { _ = try wireDecoder.decode(WireEnvelope.self, from: bytes) }
            for (step, old, new) in [("encode", encodeOld, encodeNew), ("decode", decodeOld, decodeNew)] {
                let speedup = String(format: "%.1f×", old / new)
                print("| \(name) | \(bytes.count) | \(step) | \(Int(old)) | \(Int(new)) | \(speedup) |")
            }
        }
    }

    /// The median of five rounds of `iterations` calls, per call.
    static func nanoseconds(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<(iterations / 10) { try body() }
        var rounds: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            let elapsed = ContinuousClock.now - start
            let total = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            rounds.append(total / Double(iterations))
        }
        return rounds.sorted()[2]
    }

    static func completionEnvelope() -> Envelope {
        let schema = JSONValue.object([
            "type": .string("object"),
            "properties": .object([
                "recordId": .object(["type": .string("string"), "description": .string("The case id, e.g. \"C-1042\"")]
                ),
                "fields": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                "limit": .object(["type": .string("integer"), "minimum": .number(1), "maximum": .number(50)])
            ]),
            "required": .array([.string("recordId")])
        ])
        let tools = ["get_record", "search_records", "send_email"].map {
            ToolSpec(
                name: $0, description: "Looks up or acts on records for \($0) — see the agent's policy.",
                parameters: schema)
        }
        var messages = [
            ChatMessage(role: .system, content: "You are the support agent for Acme. Answer briefly; cite case ids.")
        ]
        for turn in 0..<10 {
            messages.append(
                ChatMessage(
                    role: .user, content: "Turn \(turn): what's the status of case C-10\(turn)? \"Urgent\" / today."))
            if turn % 3 == 2 {
                let call = ToolCall(
                    id: "call_\(turn)", name: "get_record", arguments: .object(["recordId": .string("C-10\(turn)")]))
                messages.append(ChatMessage(role: .assistant, content: "", toolCalls: [call]))
                messages.append(
                    ChatMessage(
                        role: .tool, content: #"{"status":"open","owner":"[PERSON_1]","updated":"2026-12-07"}"#,
                        toolCallId: "call_\(turn)"))
            }
            messages.append(
                ChatMessage(
                    role: .assistant,
                    content: "Case C-10\(turn) is open and assigned to [PERSON_1]; next update due today."))
        }
        let request = CompletionRequest(
            agent: "support", provider: "anthropic", model: "claude-sonnet", temperature: 0.2, maxTokens: 1024,
            messages: messages, tools: tools)
        return envelope(request)
    }

    static func maskEnvelope() -> Envelope {
        envelope(
            MaskRequest(
                scope: "session-7f3a", preset: "standard", texts: ["Call me at +1 415 555 0100 or mail jo@example.com"],
                executionId: "exec-91c2", region: "US"))
    }

    static func envelope(_ body: any MessagePayload) -> Envelope {
        Envelope(
            id: "msg-4bf92f3577b34da6",
            correlation: Correlation(sessionId: "session-7f3a", executionId: "exec-91c2", turnId: "turn-3"),
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            createdAt: Date(timeIntervalSince1970: 1_796_600_000.123),
            deadline: Date(timeIntervalSince1970: 1_796_600_030.123), body: body)
    }
}
