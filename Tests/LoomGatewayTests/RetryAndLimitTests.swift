import Foundation
import LoomConfig
import Testing

@testable import LoomGateway

struct RetryAndLimitTests {
    @Test func retryAfterIsReadAsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetrySchedule.parseRetryAfter("2", now: now) == .seconds(2))
        #expect(RetrySchedule.parseRetryAfter(" 0.5 ", now: now) == .milliseconds(500))
        #expect(RetrySchedule.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetrySchedule.parseRetryAfter("soon", now: now) == nil)
        #expect(RetrySchedule.parseRetryAfter(nil, now: now) == nil)
    }

    @Test func backoffGrowsIsCappedAndJittered() {
        let schedule = RetrySchedule(settings: ProviderRetries(maxAttempts: 5, baseDelayMilliseconds: 100, maxDelayMilliseconds: 1000))
        #expect(schedule.delay(afterAttempt: 1, retryAfter: nil, random: 1) == .milliseconds(100))
        #expect(schedule.delay(afterAttempt: 3, retryAfter: nil, random: 1) == .milliseconds(400))
        #expect(schedule.delay(afterAttempt: 9, retryAfter: nil, random: 1) == .milliseconds(1000))
        #expect(schedule.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == .milliseconds(200))
        // The provider's word wins, within twice the cap.
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .milliseconds(1500), random: 0) == .milliseconds(1500))
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(60), random: 0) == .milliseconds(2000))
    }

    @Test func failuresAreClassified() {
        #expect(ProviderFailure.http(status: 429, provider: "p", message: "", retryAfter: nil).retryable)
        #expect(ProviderFailure.http(status: 529, provider: "p", message: "", retryAfter: nil).retryable)
        let refused = ProviderFailure.http(status: 400, provider: "p", message: "bad", retryAfter: nil)
        #expect(!refused.retryable && !refused.triesFallback && refused.code == "provider_rejected")
        let unauthorized = ProviderFailure.http(status: 401, provider: "p", message: "", retryAfter: nil)
        #expect(!unauthorized.retryable && unauthorized.triesFallback)
    }

    @Test func requestsPerMinuteQueueUntilTheWindowMoves() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(requestsPerMinute: 2, queueTimeoutSeconds: 5), window: .milliseconds(400))
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<2 { await limiter.release(try await limiter.acquire(tokens: 1), tokens: 1) }
        let third = try await limiter.acquire(tokens: 1)
        await limiter.release(third, tokens: 1)
        #expect(clock.now - started >= .milliseconds(400))
    }

    @Test func tokensPerMinuteCountTheReportedUsage() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(tokensPerMinute: 100, queueTimeoutSeconds: 0.2), window: .seconds(60))
        let first = try await limiter.acquire(tokens: 30)
        // The provider reports more than estimated: the allowance is used up.
        await limiter.release(first, tokens: 90)
        await #expect(throws: ProviderLimiter.QueueTimeout.self) { _ = try await limiter.acquire(tokens: 20) }
        // A smaller call still fits.
        await limiter.release(try await limiter.acquire(tokens: 10), tokens: 10)
    }

    @Test func concurrencyIsHeldInArrivalOrder() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(concurrency: 1, queueTimeoutSeconds: 5))
        let first = try await limiter.acquire(tokens: 1)
        let order = OrderLog()
        let waiters = (1...3).map { number in
            Task {
                try await Task.sleep(for: .milliseconds(20 * number))
                let permit = try await limiter.acquire(tokens: 1)
                await order.append(number)
                await limiter.release(permit, tokens: 1)
            }
        }
        try await Task.sleep(for: .milliseconds(150))
        #expect(await order.numbers.isEmpty)
        await limiter.release(first, tokens: 1)
        for waiter in waiters { try await waiter.value }
        #expect(await order.numbers == [1, 2, 3])
    }
}

actor OrderLog {
    var numbers: [Int] = []
    func append(_ number: Int) { numbers.append(number) }
}
