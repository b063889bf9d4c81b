import LoomContract

/// What an execution was asked to do, kept with its history so it can be replayed offline.
enum ExecutionInput: Codable, Equatable, Sendable {
    case conversational(ExecutionRequest)
    case direct(agent: String, input: JSONValue)
}
