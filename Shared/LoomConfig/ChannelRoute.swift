import Foundation
import LoomContract

/// Which agent owns traffic arriving on an endpoint, optionally only when conditions hold.
///
/// Among the routes on an endpoint whose conditions hold, the one with the most conditions wins;
/// the validator refuses two routes that could both win for the same message.
public struct ChannelRoute: Sendable, Codable, Equatable {
    public var name: String
    public var endpoint: String
    public var agent: String
    /// Whether a caller on this endpoint may name another agent explicitly (API callers do).
    public var allowExplicitAgent: Bool
    public var when: Conditions
    /// Overrides the endpoint's delivery policy for traffic this route owns.
    public var delivery: DeliveryPolicy?

    public struct Conditions: Sendable, Codable, Equatable {
        /// The sender's e-mail domain (case-insensitive; subdomains do not match).
        public var senderDomain: String?
        /// A word the text must contain (case-insensitive, whole word).
        public var keyword: String?

        public init(senderDomain: String? = nil, keyword: String? = nil) {
            self.senderDomain = senderDomain
            self.keyword = keyword
        }

        /// How many conditions this route sets; the more, the more specific.
        public var count: Int { [senderDomain, keyword].compactMap { $0 }.count }

        public func matches(sender: String, text: String) -> Bool {
            if let senderDomain {
                let domain = sender.split(separator: "@").last.map { $0.lowercased() } ?? ""
                guard sender.contains("@"), domain == senderDomain.lowercased() else { return false }
            }
            if let keyword, !Self.containsWord(keyword, in: text) { return false }
            return true
        }

        /// Whether one message could satisfy both condition sets.
        public func overlaps(_ other: Conditions) -> Bool {
            func compatible(_ a: String?, _ b: String?) -> Bool {
                guard let a, let b else { return true }
                return a.lowercased() == b.lowercased()
            }
            return compatible(senderDomain, other.senderDomain) && compatible(keyword, other.keyword)
        }

        /// A case-insensitive search for the word with no letter or digit on either side. A plain
        /// search, not a regular expression compiled per message: the work is bounded by the text
        /// length times the word length, whatever the text holds.
        static func containsWord(_ word: String, in text: String) -> Bool {
            guard !word.isEmpty else { return false }
            var searched = text.startIndex..<text.endIndex
            while let found = text.range(of: word, options: .caseInsensitive, range: searched) {
                if !isWordPart(before: found.lowerBound, in: text), !isWordPart(at: found.upperBound, in: text) {
                    return true
                }
                guard found.lowerBound < text.endIndex else { return false }
                searched = text.index(after: found.lowerBound)..<text.endIndex
            }
            return false
        }

        private static func isWordPart(before index: String.Index, in text: String) -> Bool {
            let scalars = text.unicodeScalars
            guard index > scalars.startIndex else { return false }
            return isWordPart(scalars[scalars.index(before: index)])
        }

        private static func isWordPart(at index: String.Index, in text: String) -> Bool {
            let scalars = text.unicodeScalars
            guard index < scalars.endIndex else { return false }
            return isWordPart(scalars[index])
        }

        private static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                true
            default:
                false
            }
        }
    }

    enum CodingKeys: String, CodingKey { case name, endpoint, agent, allowExplicitAgent, when, delivery }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        endpoint = try c.decode(String.self, forKey: .endpoint)
        agent = try c.decode(String.self, forKey: .agent)
        allowExplicitAgent = try c.decodeIfPresent(Bool.self, forKey: .allowExplicitAgent) ?? false
        when = try c.decodeIfPresent(Conditions.self, forKey: .when) ?? Conditions()
        delivery = try c.decodeIfPresent(DeliveryPolicy.self, forKey: .delivery)
    }
}
