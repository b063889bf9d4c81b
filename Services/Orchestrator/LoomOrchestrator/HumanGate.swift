import Crypto
import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract

/// Human-in-the-loop for tool calls, per capability:
///
/// - `confirmation`: the runtime asks the user in the conversation; the turn ends with the
///   question, and the user's next message in the session answers it. On an explicit yes the
///   call runs and the model carries on from where it stopped; otherwise the model gets a
///   declined result.
/// - `approval`: an approval bound to a hash of the exact arguments is opened in the trust
///   service; the execution waits (`awaitingApproval`) and is driven again once an approver
///   decides or the approval expires. Driving again replays every earlier call from its
///   stored answer, so no earlier side effect runs twice.
/// - `confirmationThenApproval`: both, in that order.
/// - `conditionalApproval`: approval only when the model sets the reserved `_requiresApproval`
///   argument, which is removed before the call runs.
struct HumanGate: Sendable {
    let node: BusNode
    let database: OrchestratorDatabase
    let callTimeout: Duration

    static let reservedArgument = "_requiresApproval"

    /// What a call needs before it may run, decided from its capability alone.
    enum Preflight: Equatable, Sendable {
        /// Run it (its arguments may have lost the reserved argument).
        case run(ToolCall)
        /// Ask the user first.
        case confirm
        /// Open an approval for exactly these arguments.
        case needsApproval(ToolCall)
    }

    /// The schema the model sees: a `conditionalApproval` capability gains the reserved argument.
    static func parameters(of capability: CapabilityDefinition) -> JSONValue {
        guard capability.hitl == .conditionalApproval, case .object(var schema) = capability.parameters else { return capability.parameters }
        var properties: [String: JSONValue] = if case .object(let map)? = schema["properties"] { map } else { [:] }
        properties[reservedArgument] = .object([
            "type": .string("boolean"),
            "description": .string("Set to true when this particular call should be approved by a person before it runs."),
        ])
        schema["properties"] = .object(properties)
        return .object(schema)
    }

    static func preflight(_ call: ToolCall, capability: CapabilityDefinition, confirmed: Bool) -> Preflight {
        var call = call
        var flagged = false
        if capability.hitl == .conditionalApproval, case .object(var arguments) = call.arguments {
            flagged = arguments.removeValue(forKey: Self.reservedArgument) == .bool(true)
            call.arguments = .object(arguments)
        }
        if [.confirmation, .confirmationThenApproval].contains(capability.hitl) && !confirmed { return .confirm }
        let needsApproval = capability.hitl == .approval || capability.hitl == .confirmationThenApproval || flagged
        return needsApproval ? .needsApproval(call) : .run(call)
    }

    /// Opens the approval of exactly this call (or finds the one already open) in trust.
    func openApproval(
        _ call: ToolCall, round: Int, request: ExecutionRequest, principal: String, correlation: Correlation
    ) async throws -> ApprovalOutcome {
        let hash = Self.hash(capability: call.name, arguments: call.arguments)
        let approval = try await node.call(
            ApprovalOpenRequest(
                id: MessageID.derived("apv", from: "\(request.executionId):\(call.id):\(hash)"), executionId: request.executionId,
                sessionId: request.sessionId, agent: request.agent, capability: call.name, argumentsHash: hash, arguments: call.arguments,
                principal: principal),
            to: .peer("trust"), expecting: ApprovalResult.self,
            requestId: "\(request.executionId):approval:\(call.id):\(hash)" + (round == 0 ? "" : ":\(round)"),
            correlation: correlation, timeout: callTimeout, attempts: 3
        ).approval
        guard approval.argumentsHash == hash else {
            return .refused(.failure("approval_mismatch", "the approval was for other arguments", guidance: "do not retry this call"))
        }
        switch approval.status {
        case .pending:
            return .pending(approvalId: approval.id)
        case .approved:
            return .approved
        case .rejected:
            return .refused(.failure(
                "approval_rejected",
                "an approver (\(approval.decidedBy ?? "unknown")) rejected this call" + (approval.reason.map { ": \($0)" } ?? ""),
                guidance: "tell the user the request was not approved and why, if given"))
        case .expired:
            return .refused(.failure(
                "approval_expired", "no approver decided before the approval expired at \(approval.expiresAt.formatted(.iso8601))",
                guidance: "tell the user it could not be done now and may be requested again"))
        }
    }

    /// SHA-256 over the capability and the canonical JSON of the arguments (sorted keys, slashes
    /// unescaped: the wire's encoding, which is Foundation's with those options byte for byte).
    static func hash(capability: String, arguments: JSONValue) -> String {
        let json = (try? WireCodec.encodeValue(arguments)) ?? Data()
        return Hex.string(SHA256.hash(data: Data(capability.utf8) + Data([0x1F]) + json))
    }

    // MARK: Confirmation

    /// Remembers the question; the session's next message answers it.
    func ask(
        _ call: ToolCall, capability: CapabilityDefinition, messages: [ChatMessage], request: ExecutionRequest
    ) async throws -> String {
        let id = MessageID.derived("cnf", from: "\(request.executionId):\(call.id)")
        let json = try WireCodec.encodeText(messages)
        try await database.store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO confirmation (id, sessionId, agent, executionId, callId, capability, messages, status, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT(id) DO NOTHING
                    """,
                arguments: [id, request.sessionId, request.agent, request.executionId, call.id, call.name, json, Date().timeIntervalSince1970])
            // An older question in this session that was never answered is void.
            try db.execute(
                sql: "UPDATE confirmation SET status = 'superseded' WHERE sessionId = ? AND status = 'pending' AND id != ?",
                arguments: [request.sessionId, id])
        }
        let what = capability.description.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return "Before I go ahead — \(what.prefix(1).lowercased() + what.dropFirst()) (\(call.name)) with \(call.arguments.compactJSON). "
            + "Please confirm: reply \"yes\" to go ahead or \"no\" to cancel."
    }

    enum Answer: String, Sendable { case yes, no, other }

    /// Only an explicit yes confirms.
    static func answer(_ text: String) -> Answer {
        let normalized = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        let yes = ["yes", "y", "yes please", "yes go ahead", "go ahead", "confirm", "confirmed", "i confirm", "do it", "yes do it", "ok", "okay", "sure", "yep", "yeah"]
        let no = ["no", "n", "no thanks", "cancel", "don't", "do not", "stop", "nope", "no don't"]
        if yes.contains(normalized) { return .yes }
        if no.contains(normalized) { return .no }
        return .other
    }

    /// Records the answer to a pending question; a question already answered keeps its answer.
    func answer(_ confirmationId: String, confirmed: Bool, by executionId: String) async throws {
        try await database.store.write { db in
            try db.execute(
                sql: "UPDATE confirmation SET status = ?, answeredBy = ? WHERE id = ? AND status = 'pending'",
                arguments: [confirmed ? "confirmed" : "declined", executionId, confirmationId])
        }
    }
}
