import LoomContract

/// What behaviour an agent is configured to have.
public struct AgentDefinition: Sendable, Codable, Equatable {
    public var description: String?
    public var active: Bool
    public var strategy: RuntimeStrategy
    public var provider: String
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    /// Who the agent is, in the system prompt.
    public var identity: String
    public var instructions: String
    public var memory: MemoryPolicy
    public var maxProcessingCycles: Int
    public var trust: TrustSettings
    /// How long a synchronous caller waits for the reply before getting 202 and a handle.
    public var replyTimeoutSeconds: Double
    /// Names of the capabilities (in `capabilities.yaml`) this agent may use.
    public var capabilities: [String]
    /// For `direct` agents: the JSON Schema every result must match.
    public var outputSchema: JSONValue?
    /// What happens to a message that arrives while the session's previous turn is running.
    public var turnCoordination: TurnCoordination
    /// Example exchanges, shown after the instructions.
    public var examples: [PromptExample]
    /// Data blocks added to the prompt before the conversation.
    public var context: [ContextBlockDefinition]
    /// When each capability may be called; nil means all of them, always.
    public var toolFlow: ToolFlow?

    enum CodingKeys: String, CodingKey {
        case description, active, strategy, provider, model, temperature, maxTokens, identity, instructions, memory
        case maxProcessingCycles, trust, replyTimeoutSeconds, capabilities, outputSchema, turnCoordination, examples, context, toolFlow
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
        strategy = try c.decodeIfPresent(RuntimeStrategy.self, forKey: .strategy) ?? .conversational
        provider = try c.decode(String.self, forKey: .provider)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        identity = try c.decode(String.self, forKey: .identity)
        instructions = try c.decodeIfPresent(String.self, forKey: .instructions) ?? ""
        memory = try c.decodeIfPresent(MemoryPolicy.self, forKey: .memory) ?? MemoryPolicy()
        maxProcessingCycles = try c.decodeIfPresent(Int.self, forKey: .maxProcessingCycles) ?? 5
        trust = try c.decodeIfPresent(TrustSettings.self, forKey: .trust) ?? TrustSettings()
        replyTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .replyTimeoutSeconds) ?? 30
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities) ?? []
        outputSchema = try c.decodeIfPresent(JSONValue.self, forKey: .outputSchema)
        turnCoordination = try c.decodeIfPresent(TurnCoordination.self, forKey: .turnCoordination) ?? TurnCoordination()
        examples = try c.decodeIfPresent([PromptExample].self, forKey: .examples) ?? []
        context = try c.decodeIfPresent([ContextBlockDefinition].self, forKey: .context) ?? []
        toolFlow = try c.decodeIfPresent(ToolFlow.self, forKey: .toolFlow)
    }
}

/// How much of the conversation the agent sees.
public struct MemoryPolicy: Sendable, Codable, Equatable {
    public enum Strategy: String, Sendable, Codable, CaseIterable { case bufferWindow, summaryBuffer, none }

    public var strategy: Strategy
    /// Complete earlier turns (user message plus reply) included in the prompt.
    public var turns: Int

    public init(strategy: Strategy = .bufferWindow, turns: Int = 10) {
        self.strategy = strategy
        self.turns = turns
    }

    enum CodingKeys: String, CodingKey { case strategy, turns }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try c.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .bufferWindow
        turns = try c.decodeIfPresent(Int.self, forKey: .turns) ?? 10
    }
}

/// The trust layer's settings for one agent.
public struct TrustSettings: Sendable, Codable, Equatable {
    public enum MaskingPreset: String, Sendable, Codable, CaseIterable { case off, standard, strict }

    public var masking: MaskingPreset
    public var promptSafety: PromptSafetySettings
    /// The country (ISO 3166 alpha-2, e.g. `FR`) whose national phone layouts the detectors
    /// read besides the international `+` form; unset means `US`.
    public var region: String?

    public init(
        masking: MaskingPreset = .standard, promptSafety: PromptSafetySettings = PromptSafetySettings(), region: String? = nil
    ) {
        self.masking = masking
        self.promptSafety = promptSafety
        self.region = region
    }

    enum CodingKeys: String, CodingKey { case masking, promptSafety, region }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        masking = try c.decodeIfPresent(MaskingPreset.self, forKey: .masking) ?? .standard
        promptSafety = try c.decodeIfPresent(PromptSafetySettings.self, forKey: .promptSafety) ?? PromptSafetySettings()
        region = try c.decodeIfPresent(String.self, forKey: .region)
    }
}

/// How inbound text is assessed before it reaches the model: `off`, `flag` (the assessment
/// is recorded and the turn goes on) or `block` (the user gets a polite refusal and the
/// execution records why).
public struct PromptSafetySettings: Sendable, Codable, Equatable {
    public enum Preset: String, Sendable, Codable, CaseIterable { case off, flag, block }

    public var preset: Preset
    /// The provider's own moderation check, made by the gateway on the masked text.
    public var moderation: ModerationSettings?

    public init(preset: Preset = .off, moderation: ModerationSettings? = nil) {
        self.preset = preset
        self.moderation = moderation
    }

    enum CodingKeys: String, CodingKey { case preset, moderation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decodeIfPresent(Preset.self, forKey: .preset) ?? .off
        moderation = try c.decodeIfPresent(ModerationSettings.self, forKey: .moderation)
    }
}

/// Which provider moderates, and what happens when it cannot: `open` lets the text through
/// (noting it), `closed` treats it as flagged.
public struct ModerationSettings: Sendable, Codable, Equatable {
    public enum FailMode: String, Sendable, Codable, CaseIterable { case open, closed }

    public var provider: String
    public var onError: FailMode

    public init(provider: String, onError: FailMode = .open) {
        self.provider = provider
        self.onError = onError
    }

    enum CodingKeys: String, CodingKey { case provider, onError }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        provider = try c.decode(String.self, forKey: .provider)
        onError = try c.decodeIfPresent(FailMode.self, forKey: .onError) ?? .open
    }
}

/// A message for a session whose turn is still running: `enqueue` runs it afterwards,
/// `reject` tells the caller the session is busy, `interrupt` stops the running turn at its next
/// safe point and answers both messages in one new turn, `coalesce` waits until messages stop
/// arriving for `windowMilliseconds` and answers the burst in one turn.
public struct TurnCoordination: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable { case enqueue, reject, interrupt, coalesce }

    public var mode: Mode
    public var windowMilliseconds: Int

    public init(mode: Mode = .enqueue, windowMilliseconds: Int = 1500) {
        self.mode = mode
        self.windowMilliseconds = windowMilliseconds
    }

    enum CodingKeys: String, CodingKey { case mode, windowMilliseconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .enqueue
        windowMilliseconds = try c.decodeIfPresent(Int.self, forKey: .windowMilliseconds) ?? 1500
    }
}
