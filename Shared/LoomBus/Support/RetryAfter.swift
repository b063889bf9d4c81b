import Foundation

/// An HTTP `Retry-After` value: seconds, or an HTTP date (RFC 9110), as a wait from `now`.
/// Shared by everything that calls out over HTTP (channel senders, model providers).
public enum RetryAfter {
    /// Nil when absent or unreadable; a date in the past is no wait.
    public static func parse(_ value: String?, now: Date = Date()) -> Duration? {
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
