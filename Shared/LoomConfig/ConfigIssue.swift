/// One thing wrong with a metadata file, located as precisely as we can.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Dotted key path inside the file, e.g. `agents.support.memory.strategy`.
    public var key: String
    public var line: Int?
    public var message: String

    public init(file: String, key: String, line: Int? = nil, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }
}

/// Start-up fails with every issue found, not just the first.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    public var description: String {
        "invalid configuration (\(issues.count) issue\(issues.count == 1 ? "" : "s")):\n"
            + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
