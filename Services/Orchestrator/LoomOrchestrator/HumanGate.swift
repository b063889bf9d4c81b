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

    enum Decision: Sendable {
        /// Run the call (its arguments may have lost the reserved argument).
        case run(ToolCall)
        /// Do not run it; this is its result.
        case result(ToolCallResult)
        /// Wait for this approval.
        case waiting(approvalId: String)
        /// Ask the user first.
        case confirm
    }

    /// The execution stops here until the approvals are decided.
    struct Paused: Error {
        let approvalIds: [String]
    }

    /// The turn ends with a question to the user.
    struct ConfirmationAsked: Error {
        let question: String
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

    func decide(
        _ call: ToolCall, capability: CapabilityDefinition, confirmed: Bool, request: ExecutionRequest, principal: String, correlation: Correlation
    ) async throws -> Decision {
        var call = call
        var flagged = false
        if capability.hitl == .conditionalApproval, case .object(var arguments) = call.arguments {
            flagged = arguments.removeValue(forKey: Self.reservedArgument) == .bool(true)
            call.arguments = .object(arguments)
        }
        let needsConfirmation = [.confirmation, .confirmationThenApproval].contains(capability.hitl) && !confirmed
        if needsConfirmation { return .confirm }
        let needsApproval = capability.hitl == .approval || capability.hitl == .confirmationThenApproval || flagged
        guard needsApproval else { return .run(call) }
        let hash = Self.hash(capability: call.name, arguments: call.arguments)
        let approval = try await node.call(
            ApprovalOpenRequest(
                id: MessageID.derived("apv", from: "\(request.executionId):\(call.id):\(hash)"), executionId: request.executionId,
                sessionId: request.sessionId, agent: request.agent, capability: call.name, argumentsHash: hash, arguments: call.arguments,
                principal: principal),
            to: .peer("trust"), expecting: ApprovalResult.self, requestId: "\(request.executionId):approval:\(call.id):\(hash)",
            correlation: correlation, timeout: callTimeout, attempts: 3
        ).approval
        guard approval.argumentsHash == hash else {
            return .result(.failure("approval_mismatch", "the approval was for other arguments", guidance: "do not retry this call"))
        }
        switch approval.status {
        case .pending:
            return .waiting(approvalId: approval.id)
        case .approved:
            return .run(call)
        case .rejected:
            return .result(.failure(
                "approval_rejected", "an approver (\(approval.decidedBy ?? "unknown")) rejected this call" + (approval.reason.map { ": \($0)" } ?? ""),
                guidance: "tell the user the request was not approved and why, if given"))
        case .expired:
            return .result(.failure(
                "approval_expired", "no approver decided before the approval expired at \(approval.expiresAt.formatted(.iso8601))",
                guidance: "tell the user it could not be done now and may be requested again"))
        }
    }

    /// SHA-256 over the capability and the canonical JSON of the arguments.
    static func hash(capability: String, arguments: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(arguments)) ?? Data()
        return SHA256.hash(data: Data(capability.utf8) + Data([0x1F]) + json).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Confirmation

    struct PendingConfirmation: Sendable {
        var id: String
        var executionId: String
        var callId: String
        var capability: String
        /// The conversation up to and including the assistant message with the calls.
        var messages: [ChatMessage]
    }

    /// Remembers the question; the session's next message answers it.
    func ask(
        _ call: ToolCall, capability: CapabilityDefinition, messages: [ChatMessage], request: ExecutionRequest
    ) async throws -> String {
        let id = MessageID.derived("cnf", from: "\(request.executionId):\(call.id)")
        let json = String(decoding: try JSONEncoder().encode(messages), as: UTF8.self)
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

    /// The question this turn answers: still pending, or already answered by this very
    /// execution (when it is driven again).
    func pendingConfirmation(for request: ExecutionRequest) async throws -> PendingConfirmation? {
        try await database.store.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM confirmation WHERE sessionId = ? AND agent = ? AND executionId != ?
                      AND (status = 'pending' OR answeredBy = ?) ORDER BY createdAt DESC LIMIT 1
                    """,
                arguments: [request.sessionId, request.agent, request.executionId, request.executionId])
            else { return nil }
            let messages = (try? JSONDecoder().decode([ChatMessage].self, from: Data((row["messages"] as String).utf8))) ?? []
            return PendingConfirmation(
                id: row["id"], executionId: row["executionId"], callId: row["callId"], capability: row["capability"], messages: messages)
        }
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

    func markAnswered(_ pending: PendingConfirmation, answer: Answer, by executionId: String) async throws {
        try await database.store.write { db in
            try db.execute(
                sql: "UPDATE confirmation SET status = ?, answeredBy = ? WHERE id = ? AND status = 'pending'",
                arguments: [answer == .yes ? "confirmed" : "declined", executionId, pending.id])
        }
    }
}
