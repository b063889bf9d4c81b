import Foundation
import Synchronization
import Testing

@testable import LoomBus

/// The node's one timer for waiting calls: a deadline fires once, a removed one never, and an
/// earlier deadline added while the timer sleeps towards a later one is not kept waiting.
struct CallDeadlinesTests {
    @Test func aDeadlineFiresOnceAndARemovedOneNever() async throws {
        let deadlines = CallDeadlines()
        let fired = Mutex<[UInt64]>([])
        let soon = ContinuousClock.now + .milliseconds(20)
        deadlines.add(1, at: soon) { fired.withLock { $0.append(1) } }
        deadlines.add(2, at: soon) { fired.withLock { $0.append(2) } }
        deadlines.remove(2)
        #expect(await eventually(timeout: .seconds(5)) { fired.withLock { $0 } == [1] })
        try await Task.sleep(for: .milliseconds(100))
        #expect(fired.withLock { $0 } == [1])
        #expect(deadlines.count == 0)
    }

    @Test func anEarlierDeadlineIsServedBeforeALaterOne() async throws {
        let deadlines = CallDeadlines()
        let fired = Mutex<[UInt64]>([])
        deadlines.add(1, at: ContinuousClock.now + .seconds(30)) { fired.withLock { $0.append(1) } }
        // Give the timer time to go to sleep towards the late deadline.
        try await Task.sleep(for: .milliseconds(50))
        deadlines.add(2, at: ContinuousClock.now + .milliseconds(10)) { fired.withLock { $0.append(2) } }
        #expect(await eventually(timeout: .seconds(5)) { fired.withLock { $0 } == [2] })
        deadlines.remove(1)
        #expect(deadlines.count == 0)
    }

    @Test func theTimerStartsAgainAfterItRanOutOfWork() async throws {
        let deadlines = CallDeadlines()
        let fired = Mutex(0)
        for round in 0..<3 {
            deadlines.add(UInt64(round), at: ContinuousClock.now + .milliseconds(5)) { fired.withLock { $0 += 1 } }
            #expect(await eventually(timeout: .seconds(5)) { fired.withLock { $0 } == round + 1 })
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
