/// Replace personal data in text with stable per-session tokens.
public struct MaskRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.maskRequest
    /// Tokens are stable within this scope (the session, or the execution when there is none).
    public var scope: String
    /// The agent's masking preset: `standard` or `strict` (`off` never reaches the trust layer).
    public var preset: String
    public var texts: [String]
    /// Parallel to `texts`: a kind for each text to mask whole (a field the record schema
    /// marks sensitive), nil to run the detectors.
    public var wholeValueKinds: [String?]?
    /// For the audit log's masking summary.
    public var executionId: String?
    /// ISO 3166 alpha-2: the country whose national phone layouts the detectors read (numbers
    /// with a country code are found whatever it is). Nil reads them as the trust layer's default, US.
    public var region: String?

    public init(
        scope: String, preset: String, texts: [String], wholeValueKinds: [String?]? = nil, executionId: String? = nil,
        region: String? = nil
    ) {
        self.scope = scope
        self.preset = preset
        self.texts = texts
        self.wholeValueKinds = wholeValueKinds
        self.executionId = executionId
        self.region = region
    }
}

public struct MaskResult: MessagePayload, Equatable {
    public static let kind = MessageKind.maskResult
    public var texts: [String]
    /// Counts per detector, never the originals.
    public var detections: [String: Int]

    public init(texts: [String], detections: [String: Int]) {
        self.texts = texts
        self.detections = detections
    }
}

/// Put the originals back for tokens minted in the same scope.
public struct UnmaskRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.unmaskRequest
    public var scope: String
    public var texts: [String]

    public init(scope: String, texts: [String]) {
        self.scope = scope
        self.texts = texts
    }
}

public struct UnmaskResult: MessagePayload, Equatable {
    public static let kind = MessageKind.unmaskResult
    public var texts: [String]
    /// Tokens found in the text that this scope never minted; left as they were.
    public var unknownTokens: [String]

    public init(texts: [String], unknownTokens: [String]) {
        self.texts = texts
        self.unknownTokens = unknownTokens
    }
}

/// Score text for prompt injection before a model sees it.
public struct SafetyAssessRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.safetyAssessRequest
    public enum Source: String, Sendable, Codable, CaseIterable { case inbound, toolResult }

    public var text: String
    public var source: Source
    public var executionId: String?

    public init(text: String, source: Source, executionId: String?) {
        self.text = text
        self.source = source
        self.executionId = executionId
    }
}

public struct SafetyAssessment: MessagePayload, Equatable {
    public static let kind = MessageKind.safetyAssessment
    /// 0 (nothing found) to 1.
    public var score: Double
    /// Whether the score reaches the unsafe threshold.
    public var unsafe: Bool
    /// `instruction_override`, `role_tokens`, `delimiter_smuggling`, `encoded_payload`.
    public var categories: [String]
    /// What each finding was, without quoting the text.
    public var findings: [String]

    public init(score: Double, unsafe: Bool, categories: [String], findings: [String]) {
        self.score = score
        self.unsafe = unsafe
        self.categories = categories
        self.findings = findings
    }
}
