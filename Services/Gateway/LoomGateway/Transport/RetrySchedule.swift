import Foundation
import LoomBus
import LoomConfig

/// When to ask a provider again: capped exponential backoff with full jitter, unless the
/// provider said how long to wait (`Retry-After`), which is honoured up to the cap's double.
struct RetrySchedule: Sendable {
    let settings: ProviderRetries

    func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double = Double.random(in: 0...1)) -> Duration {
        let cap = Double(settings.maxDelayMilliseconds)
        if let retryAfter {
            return min(retryAfter, .milliseconds(Int(cap * 2)))
        }
        let exponential = min(cap, Double(settings.baseDelayMilliseconds) * pow(2, Double(max(attempt - 1, 0))))
        return .milliseconds(Int(exponential * random))
    }

    /// `Retry-After` as seconds or an HTTP date; nil when absent or unreadable.
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        RetryAfter.parse(value, now: now)
    }
}
