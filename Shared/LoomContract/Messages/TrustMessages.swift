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

    public init(scope: String, preset: String, texts: [String], wholeValueKinds: [String?]? = nil, executionId: String? = nil) {
        self.scope = scope
        self.preset = preset
        self.texts = texts
        self.wholeValueKinds = wholeValueKinds
        self.executionId = executionId
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
