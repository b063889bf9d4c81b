import LoomConfig
import LoomContract

/// What an execution was asked to do, kept with its history so it can be replayed offline.
enum ExecutionInput: Codable, Equatable, Sendable {
    case conversational(ExecutionRequest)
    /// `masking` is the preset the run masked with, which a parent may have made stricter than
    /// the agent's own; nil in histories recorded before runs inherited one.
    case direct(agent: String, input: JSONValue, masking: TrustSettings.MaskingPreset? = nil)
}
