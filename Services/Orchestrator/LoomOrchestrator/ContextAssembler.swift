import Foundation
import LoomBus
import LoomConfig
import LoomContract

/// Fills an agent's context blocks for one turn: the related record (its id found in the
/// conversation), the session, the principal, static text. Each block is masked by the trust
/// layer and then capped at its size, before it joins the prompt: a value cut first would no
/// longer be found and would go out half visible, and the cut never goes through a token. One
/// that cannot be filled is left out, left out with a note in the trace, or fails the turn, as
/// configured.
struct ContextAssembler: Sendable {
    let node: BusNode
    let callTimeout: Duration
    /// The record schema: fields it marks sensitive are masked whole before a block is built.
    let records: RecordStoreSeed

    struct Unavailable: Error, CustomStringConvertible {
        var block: String
        var reason: String
        var description: String { "context '\(block)' is unavailable: \(reason)" }
    }

    func assemble(_ agent: AgentDefinition, request: ExecutionRequest, earlierTexts: [String]) async throws -> ContextOutcome {
        var filled: [PromptBuilder.ContextBlock] = []
        var limits: [Int] = []
        var warnings: [String] = []
        for definition in agent.context {
            do {
                let content = try await fill(definition, agent: agent, request: request, earlierTexts: earlierTexts)
                filled.append(.init(name: definition.name, content: content))
                limits.append(definition.maxCharacters)
            } catch {
                switch definition.onFailure {
                case .skip: continue
                case .warn: warnings.append(error.description)
                case .fail: throw error
                }
            }
        }
        if agent.trust.masking != .off, !filled.isEmpty {
            let masked = try await node.call(
                MaskRequest(
                    scope: request.sessionId, preset: agent.trust.masking.rawValue, texts: filled.map(\.content),
                    executionId: request.executionId, region: agent.trust.region),
                to: .peer("trust"), expecting: MaskResult.self, requestId: "\(request.executionId):mask-context",
                correlation: Correlation(
                    sessionId: request.sessionId, executionId: request.executionId, turnId: request.turnId),
                timeout: callTimeout, attempts: 3)
            for index in filled.indices where index < masked.texts.count { filled[index].content = masked.texts[index] }
        }
        for index in filled.indices { filled[index].content = Self.cap(filled[index].content, limits[index]) }
        return ContextOutcome(blocks: filled, warnings: warnings)
    }

    private func fill(
        _ definition: ContextBlockDefinition, agent: AgentDefinition, request: ExecutionRequest, earlierTexts: [String]
    ) async throws(Unavailable) -> String {
        switch definition.source {
        case .static:
            return definition.text ?? ""
        case .session:
            return "channel: \(request.channel.rawValue)\nendpoint: \(request.endpoint)\nsession: \(request.sessionId)"
        case .principal:
            return "sender: \(request.sender)\nchannel: \(request.channel.rawValue)"
        case .record:
            guard let type = definition.objectType, let pattern = definition.idPattern else {
                throw Unavailable(block: definition.name, reason: "no object type or id pattern")
            }
            // The newest mention wins: this message first, then earlier turns, newest first.
            var found: String?
            for text in [request.text] + earlierTexts.reversed() {
                if let range = text.range(of: pattern, options: .regularExpression) {
                    found = String(text[range])
                    break
                }
            }
            guard let id = found else { throw Unavailable(block: definition.name, reason: "no \(type) id in the conversation") }
            let record: RecordGetResult
            do {
                record = try await node.call(
                    RecordGetRequest(objectType: type, recordId: id), to: .peer("tools"), expecting: RecordGetResult.self,
                    requestId: "\(request.executionId):context:\(definition.name)", timeout: callTimeout, attempts: 2)
            } catch {
                throw Unavailable(block: definition.name, reason: "the record store did not answer (\(error))")
            }
            guard var fields = record.fields else { throw Unavailable(block: definition.name, reason: "no \(type) '\(id)'") }
            if records.objects[type]?.sensitive.isEmpty == false {
                do {
                    let masked = try await LeafMasking(node: node, callTimeout: callTimeout).mask(
                        .object(["objectType": .string(type), "fields": .object(fields)]), scope: request.sessionId, agent: agent,
                        requestId: "\(request.executionId):context-fields:\(definition.name)",
                        correlation: Correlation(sessionId: request.sessionId, executionId: request.executionId, turnId: request.turnId),
                        records: records)
                    if case .object(let map) = masked, case .object(let maskedFields)? = map["fields"] { fields = maskedFields }
                } catch {
                    throw Unavailable(block: definition.name, reason: "the trust layer did not mask its sensitive fields (\(error))")
                }
            }
            return (["\(type) \(id)"] + fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.plainText)" })
                .joined(separator: "\n")
        }
    }

    /// The first `limit` characters of masked text, cut before a token rather than through it:
    /// `[CARD_` alone would tell the model a card was there and could no longer be unmasked.
    static func cap(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        var end = text.index(text.startIndex, offsetBy: max(limit, 0))
        if let open = text[..<end].lastIndex(of: "["),
            let token = text[open...].range(of: #"^\[[A-Za-z][A-Za-z0-9_]*_\d+\]"#, options: .regularExpression),
            token.upperBound > end
        {
            end = open
        }
        return String(text[..<end]) + "…[truncated]"
    }
}
