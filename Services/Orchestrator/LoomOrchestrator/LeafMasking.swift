import LoomBus
import LoomConfig
import LoomContract

/// Masks and unmasks the string leaves of a JSON value through the trust layer, keeping its
/// structure whatever the originals contain. Nothing is sent when the agent's masking is off
/// or the value holds no text (to unmask: no text that can hold a token). The correlation must name the scope's session or execution:
/// trust refuses a scope the call does not claim.
struct LeafMasking: Sendable {
    let node: BusNode
    let callTimeout: Duration

    /// - Parameter records: the record schema; fields it marks sensitive are masked whole.
    func mask(
        _ value: JSONValue, scope: String, agent: AgentDefinition, requestId: String, correlation: Correlation,
        records: RecordStoreSeed = RecordStoreSeed()
    ) async throws -> JSONValue {
        let leaves = value.stringLeaves
        guard agent.trust.masking != .off, !leaves.isEmpty else { return value }
        let kinds = SensitiveFields.leafKinds(of: value, records: records)
        let result = try await node.call(
            MaskRequest(
                scope: scope, preset: agent.trust.masking.rawValue, texts: leaves, wholeValueKinds: kinds.contains { $0 != nil } ? kinds : nil,
                executionId: correlation.executionId, region: agent.trust.region),
            to: .peer("trust"), expecting: MaskResult.self, requestId: requestId, correlation: correlation, timeout: callTimeout, attempts: 3)
        return value.replacingStringLeaves(with: result.texts)
    }

    func unmask(
        _ value: JSONValue, scope: String, agent: AgentDefinition, requestId: String, correlation: Correlation
    ) async throws -> JSONValue {
        let leaves = value.stringLeaves
        guard agent.trust.masking != .off, leaves.contains(where: MaskTokenShape.mayAppear) else { return value }
        let result = try await node.call(
            UnmaskRequest(scope: scope, texts: leaves), to: .peer("trust"), expecting: UnmaskResult.self, requestId: requestId,
            correlation: correlation, timeout: callTimeout, attempts: 3)
        return value.replacingStringLeaves(with: result.texts)
    }
}
