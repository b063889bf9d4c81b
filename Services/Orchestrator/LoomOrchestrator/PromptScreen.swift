import LoomBus
import LoomConfig
import LoomContract

/// Assesses text before it reaches the model, as the agent's prompt-safety preset asks: the
/// trust service's local detectors (instruction overrides, role tokens, delimiter smuggling,
/// encoded payloads) on inbound text and on tool results, and for inbound text also the
/// provider's moderation check through the gateway when one is configured. Every finding is
/// written to the audit log.
struct PromptScreen: Sendable {
    let node: BusNode
    let callTimeout: Duration

    /// Nil when the preset is off or nothing was found.
    func assessInbound(_ text: String, agent: AgentDefinition, request: ExecutionRequest, correlation: Correlation) async throws -> Assessment? {
        let settings = agent.trust.promptSafety
        guard settings.preset != .off else { return nil }
        var notes: [String] = []
        var unsafe = false
        let local = try await localAssessment(text, source: .inbound, request: request, correlation: correlation, label: "inbound")
        if local.unsafe {
            unsafe = true
            notes.append(Self.describe(local))
        }
        if let moderation = settings.moderation {
            switch await moderate(text, moderation: moderation, request: request, correlation: correlation) {
            case .flagged(let note):
                unsafe = true
                notes.append(note)
            case .unavailable(let note):
                if moderation.onError == .closed { unsafe = true }
                notes.append(note + (moderation.onError == .closed ? "; failing closed" : "; failing open"))
            case .clean:
                break
            }
        }
        guard !notes.isEmpty else { return nil }
        let blocks = unsafe && settings.preset == .block
        let assessment = Assessment(blocks: blocks, note: notes.joined(separator: "; ") + (unsafe ? (blocks ? "; blocked" : "; flagged only") : "; let through"))
        try await audit(assessment, subject: "prompt-safety:inbound", request: request, correlation: correlation)
        return assessment
    }

    /// A tool's (masked) result before the model reads it; nil when the preset is off or it is clean.
    func assessToolResult(
        _ text: String, capability: String, sequence: Int, agent: AgentDefinition, request: ExecutionRequest, correlation: Correlation
    ) async throws -> Assessment? {
        let preset = agent.trust.promptSafety.preset
        guard preset != .off else { return nil }
        let local = try await localAssessment(text, source: .toolResult, request: request, correlation: correlation, label: "tool-\(sequence)")
        guard local.unsafe else { return nil }
        let blocks = preset == .block
        let assessment = Assessment(
            blocks: blocks, note: "\(capability) result: " + Self.describe(local) + (blocks ? "; withheld from the model" : "; flagged only"))
        try await audit(assessment, subject: "prompt-safety:tool:\(capability)", request: request, correlation: correlation)
        return assessment
    }

    static let refusal = "I'm sorry, but I can't help with that request. If you think this is a mistake, please rephrase your message."

    // MARK: Parts

    private func localAssessment(
        _ text: String, source: SafetyAssessRequest.Source, request: ExecutionRequest, correlation: Correlation, label: String
    ) async throws -> SafetyAssessment {
        try await node.call(
            SafetyAssessRequest(text: text, source: source, executionId: request.executionId), to: .peer("trust"), expecting: SafetyAssessment.self,
            requestId: "\(request.executionId):assess:\(label)", correlation: correlation, timeout: callTimeout, attempts: 3)
    }

    private enum ModerationOutcome {
        case clean
        case flagged(String)
        case unavailable(String)
    }

    private func moderate(_ text: String, moderation: ModerationSettings, request: ExecutionRequest, correlation: Correlation) async -> ModerationOutcome {
        do {
            let verdict = try await node.call(
                ModerationRequest(agent: request.agent, provider: moderation.provider, text: text), to: .peer("gateway"),
                expecting: ModerationResult.self, requestId: "\(request.executionId):moderation", correlation: correlation,
                timeout: .seconds(30), attempts: 2)
            guard verdict.flagged else { return .clean }
            let categories = verdict.categories.isEmpty ? "unspecified" : verdict.categories.joined(separator: ", ")
            return .flagged("moderation (\(verdict.provider)) flagged the message: \(categories)")
        } catch {
            return .unavailable("moderation (\(moderation.provider)) unavailable: \(error)")
        }
    }

    private func audit(_ assessment: Assessment, subject: String, request: ExecutionRequest, correlation: Correlation) async throws {
        try await AuditTrail(node: node, callTimeout: callTimeout).append(
            "policy", subject: subject, detail: ["decision": assessment.blocks ? "blocked" : "recorded", "note": assessment.note, "agent": request.agent],
            executionId: request.executionId, key: subject, correlation: correlation)
    }

    static func describe(_ assessment: SafetyAssessment) -> String {
        "prompt-safety score \(assessment.score) (\(assessment.categories.joined(separator: ", "))): " + assessment.findings.joined(separator: "; ")
    }
}
