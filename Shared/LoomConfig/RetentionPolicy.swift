import Foundation

/// How long personal data and custody bookkeeping stay at rest (`retention:` in `suite.yaml`).
///
/// Past its window a message body is replaced by a marker (the message row stays), and
/// processed custody rows, dead letters, cached replies and dedup rows are deleted.
public struct RetentionPolicy: Sendable, Equatable, Codable {
    /// Seconds a message body (inbound text, reply text) is kept.
    public var messageBodies: Double
    /// Seconds acknowledged outbox rows and dead letters are kept.
    public var custody: Double
    /// Seconds a stored request/reply answer is kept.
    public var replyCache: Double
    /// Seconds a processed inbox row is kept; a redelivery after this runs again.
    public var dedup: Double

    public static let day: Double = 86_400

    public init(
        messageBodies: Double = 30 * day, custody: Double = 7 * day, replyCache: Double = day, dedup: Double = 30 * day
    ) {
        self.messageBodies = messageBodies
        self.custody = custody
        self.replyCache = replyCache
        self.dedup = dedup
    }

    enum CodingKeys: String, CodingKey { case messageBodies, custody, replyCache, dedup }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RetentionPolicy()
        func window(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return fallback }
            guard let seconds = Self.seconds(text), seconds > 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "not a duration: '\(text)' (e.g. 30d, 12h, 45m, 90s)")
            }
            return seconds
        }
        messageBodies = try window(.messageBodies, defaults.messageBodies)
        custody = try window(.custody, defaults.custody)
        replyCache = try window(.replyCache, defaults.replyCache)
        dedup = try window(.dedup, defaults.dedup)
    }

    /// `30d`, `12h`, `45m`, `90s` or a bare number of seconds.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["d": day, "h": 3600, "m": 60, "s": 1]
        if let last = trimmed.last, let unit = units[last] {
            return Double(trimmed.dropLast()).map { $0 * unit }
        }
        return Double(trimmed)
    }
}
