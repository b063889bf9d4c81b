/// Capped exponential backoff with jitter, as a pure function of the attempt number.
///
/// Half of each delay is fixed and half is random ("equal jitter"): a resend never fires
/// instantly after a send, and peers restarted together do not retry in lockstep.
public struct Backoff: Sendable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(250), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The delay before attempt `attempt + 1`, given a random fraction in 0...1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt, 0), 30)
        let uncapped = base * (1 << exponent)
        let ceiling = min(uncapped, cap)
        let jitter = min(max(random, 0), 1)
        return ceiling / 2 + (ceiling / 2) * jitter
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        delay(afterAttempt: attempt, random: Double.random(in: 0...1))
    }
}
