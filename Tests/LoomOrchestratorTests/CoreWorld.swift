import Foundation
import LoomConfig
import LoomContract

@testable import LoomOrchestrator

/// A scripted world for decision cores: it answers each call, keeps the history the way the
/// driver would, and reads a fake clock, so a whole execution runs without sockets or sleeps.
struct CoreWorld {
    var answer: (ExecutionCall) -> CallOutcome
    private(set) var journal: [(call: ExecutionCall, outcome: RecordedOutcome)] = []
    private(set) var clock = Date(timeIntervalSince1970: 1_800_000_000)

    init(answer: @escaping (ExecutionCall) -> CallOutcome) { self.answer = answer }

    var known: [String: RecordedOutcome] {
        Dictionary(journal.map { ($0.call.id, $0.outcome) }, uniquingKeysWith: { first, _ in first })
    }

    /// Drives the core to its ending from `known`, answering what it asks; returns the ending and
    /// every call it sent, in order.
    mutating func drive(
        _ decide: ([String: RecordedOutcome]) -> CoreDecision, from start: [String: RecordedOutcome]? = nil
    ) -> (ending: CoreEnding?, sent: [ExecutionCall], last: CoreDecision) {
        var known = start ?? self.known
        var sent: [ExecutionCall] = []
        for _ in 0..<500 {
            let decision = decide(known)
            if decision.ending != nil || decision.calls.isEmpty { return (decision.ending, sent, decision) }
            for call in decision.calls {
                precondition(known[call.id] == nil, "the core asked again for \(call.id)")
                let started = clock
                clock += 0.5
                if case .wait(let milliseconds) = call.request { clock += Double(milliseconds) / 1000 }
                let outcome = RecordedOutcome(outcome: answer(call), startedAt: started, finishedAt: clock)
                known[call.id] = outcome
                journal.append((call, outcome))
                sent.append(call)
            }
        }
        return (nil, sent, decide(known))
    }

    static func agent(_ json: String = "") throws -> AgentDefinition {
        try JSONDecoder().decode(AgentDefinition.self, from: Data("""
            {"provider": "p", "identity": "You are Helper.", "instructions": "Be brief.",
             "capabilities": ["post_note", "get_case"], "trust": {"masking": "standard"} \(json)}
            """.utf8))
    }

    static func capabilities(_ extra: String = "") throws -> [String: CapabilityDefinition] {
        try JSONDecoder().decode([String: CapabilityDefinition].self, from: Data("""
            {"post_note": {"description": "Post a note.", "backend": {"action": "post_note"},
                           "parameters": {"type": "object"} \(extra)},
             "get_case": {"description": "Read a case.", "backend": {"action": "get_record"}}}
            """.utf8))
    }

    static let request = ExecutionRequest(
        executionId: "exe-1", agent: "helper", sessionId: "ses-1", turnId: "turn-1", channel: .api, endpoint: "api",
        inboundMessageId: "in-1", sender: "alice", text: "Note that my mail is a@example.com", replyTo: nil)

    static let grants = PrincipalGrants(principal: "alice", roles: [], enforced: false, agents: [], capabilities: [], records: [:])

    /// A model that calls `post_note` once, then answers "Noted."
    static func standardAnswer(_ call: ExecutionCall) -> CallOutcome {
        switch call.request {
        case .grants: return .grants(grants)
        case .maskTurn(let text, _): return .masked(text.replacingOccurrences(of: "a@example.com", with: "[EMAIL_1]"))
        case .turnStart:
            return .turnStart(TurnStart(absorbedTexts: [], history: [], pendingConfirmation: nil, now: Date(timeIntervalSince1970: 0)))
        case .complete(let completion):
            if completion.messages.last?.role == .tool { return .completion(answer("Noted.")) }
            return .completion(answer("", calls: [ToolCall(id: "call-1", name: "post_note", arguments: .object(["text": .string("[EMAIL_1]")]))]))
        case .invoke:
            return .tool(ToolOutcome(content: #"{"success":true}"#, succeeded: true, retryable: false))
        case .unmask(let text): return .unmasked(text.replacingOccurrences(of: "[EMAIL_1]", with: "a@example.com"))
        case .wait: return .waited
        default: return .done
        }
    }

    static func answer(_ text: String, calls: [ToolCall]? = nil) -> CompletionResult {
        CompletionResult(
            text: text, provider: "p", model: "m", usage: TokenUsage(), finishReason: calls == nil ? "stop" : "tool_calls", toolCalls: calls)
    }
}
