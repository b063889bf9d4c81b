import Foundation

/// What is past its retention window at one moment: for each kind of row, the instant before
/// which it is pruned. Pure, so the decision is tested with any clock.
public struct RetentionCutoffs: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Message bodies: replaced by a marker, the message row stays.
        case messageBodies
        /// Acknowledged outbox rows and dead letters.
        case custody
        /// Stored answers of request/reply calls.
        case replyCache
        /// Processed inbox rows and other dedup records (the tools' idempotency ledger).
        case dedup
    }

    public let now: Date
    private let cutoffs: [Kind: Date]

    /// - Parameter windows: seconds each kind is kept; a kind without a window is kept forever.
    public init(now: Date, windows: [Kind: TimeInterval]) {
        self.now = now
        cutoffs = windows.compactMapValues { $0 > 0 ? now.addingTimeInterval(-$0) : nil }
    }

    /// The instant before which rows of `kind` are pruned, or nil when they are kept.
    public func cutoff(_ kind: Kind) -> Date? { cutoffs[kind] }

    /// Whether a row of `kind` stamped `stamp` is past its window.
    public func isPast(_ kind: Kind, stamp: Date) -> Bool {
        guard let cutoff = cutoffs[kind] else { return false }
        return stamp < cutoff
    }
}
