import Foundation

/// A secret named in metadata: `env:NAME` reads an environment variable, `file:/path` reads a
/// file (trailing newline dropped), anything else is the value itself (for local demos and
/// tests; production metadata should point at the environment or a mounted file).
public struct SecretReference: Sendable, Codable, Equatable, CustomStringConvertible {
    public var reference: String

    public init(_ reference: String) { self.reference = reference }

    public init(from decoder: any Decoder) throws {
        reference = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(reference)
    }

    /// The secret's value, or nil when the variable or file is missing or empty.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let value: String?
        if reference.hasPrefix("env:") {
            value = environment[String(reference.dropFirst(4))]
        } else if reference.hasPrefix("file:") {
            value = (try? String(contentsOfFile: String(reference.dropFirst(5)), encoding: .utf8))?
                .trimmingCharacters(in: .newlines)
        } else {
            value = reference
        }
        return value?.isEmpty == false ? value : nil
    }

    /// Whether the metadata names where the secret is rather than holding it.
    public var isIndirect: Bool { reference.hasPrefix("env:") || reference.hasPrefix("file:") }

    /// The file it reads, if any.
    public var filePath: String? { reference.hasPrefix("file:") ? String(reference.dropFirst(5)) : nil }

    /// The environment variable it reads, if any.
    public var environmentVariable: String? { reference.hasPrefix("env:") ? String(reference.dropFirst(4)) : nil }

    /// Never prints a literal secret.
    public var description: String {
        reference.hasPrefix("env:") || reference.hasPrefix("file:") ? reference : "<literal>"
    }
}
