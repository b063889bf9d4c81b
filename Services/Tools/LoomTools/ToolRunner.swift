import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomStore
import Synchronization

/// Runs capability calls: checks the arguments against the capability's schema (with
/// coercion), runs the standard action, and for side-effecting calls records the outcome under
/// the idempotency key in the same transaction, so a repeated key returns the recorded outcome
/// instead of acting twice. Every failure is a structured result for the model, never a crash.
final class ToolRunner: Sendable {
    let records: RecordStore
    let metadata: LoomMetadata
    let commands: CommandTool?
    /// Where `env:` secrets of callouts and e-mail are read from (the process's environment).
    let environment: [String: String]
    let mcp: McpTools?
    /// Calls outside a transaction running now, by idempotency key.
    let running = Mutex<[String: Task<ToolCallResult, Never>]>([:])
    /// Side effects actually performed (not replayed), for health counters and tests.
    private let performed = Atomic<Int>(0)

    init(
        records: RecordStore, metadata: LoomMetadata, commands: CommandTool? = nil, mcp: McpTools? = nil,
        environment: [String: String] = [:]
    ) {
        self.records = records
        self.metadata = metadata
        self.commands = commands
        self.mcp = mcp
        self.environment = environment
    }

    var sideEffectsPerformed: Int { performed.load(ordering: .relaxed) }

    func countPerformed() { performed.add(1, ordering: .relaxed) }

    func run(_ request: ToolCallRequest) async -> ToolCallResult {
        guard let capability = metadata.capabilities[request.capability] else {
            return .failure(
                "unknown_tool", "there is no tool named '\(request.capability)'", guidance: "use only the tools you were offered")
        }
        guard [.standard, .command, .mcp].contains(capability.type) else {
            return .failure("not_executable", "'\(request.capability)' is not run by the tools service")
        }
        let arguments: [String: JSONValue]
        switch JSONSchema(capability.parameters).validate(request.arguments) {
        case .success(.object(let checked)): arguments = checked
        case .success: return .failure("invalid_arguments", "the arguments must be an object")
        case .failure(let violations):
            return .failure(
                "invalid_arguments", violations.description, guidance: "call the tool again with arguments that match its parameters")
        }
        if capability.type == .mcp { return await runMcp(capability, request, arguments: arguments) }
        guard let action = capability.action else {
            return await runCommand(capability, request, arguments: .object(arguments))
        }
        if CapabilityDefinition.outsideActions.contains(action) {
            return await runOutsideAction(action, capability, request, arguments: arguments)
        }
        let actions = StandardActions(schema: metadata.records, capability: capability)
        do {
            let records = records
            let (outcome, performedNow) = try await records.store.write { db -> (ToolCallResult, Bool) in
                if capability.sideEffects,
                    var outcome = try records.recordedOutcome(db, idempotencyKey: request.idempotencyKey)
                {
                    outcome.replayed = true
                    return (outcome, false)
                }
                let outcome: ToolCallResult
                do {
                    outcome = ToolCallResult(success: true, result: try actions.run(action, arguments, key: request.idempotencyKey, in: db))
                } catch let refusal as StandardActions.Refusal {
                    outcome = refusal.result
                }
                if capability.sideEffects {
                    try records.record(
                        outcome, db, idempotencyKey: request.idempotencyKey, capability: request.capability)
                }
                return (outcome, capability.sideEffects && outcome.success)
            }
            // Counted once committed: a write that failed performed nothing.
            if performedNow { countPerformed() }
            return outcome
        } catch {
            return .failure("store_unavailable", "the record store could not be used: \(error)", retryable: true)
        }
    }
}
