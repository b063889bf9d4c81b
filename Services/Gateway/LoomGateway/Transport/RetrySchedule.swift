import Foundation
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
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int(max(date.timeIntervalSince(now), 0) * 1000))
    }
}
