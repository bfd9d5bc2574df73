import Foundation
import Synchronization
import Testing

@testable import Dropsight

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)
    func advance(_ d: Duration) { offset.withLock { $0 += d } }
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
}

@Suite struct RateLimiterTests {
    let clock = ManualClock()

    func limiter(rpm: Int = 0, tpm: Int = 0) -> RateLimiter {
        let clock = clock
        return RateLimiter(requestsPerMinute: rpm, tokensPerMinute: tpm, now: { clock.now })
    }

    func close(_ a: Duration, _ b: Duration) -> Bool { abs((a - b) / .milliseconds(1)) < 1 }

    /// 600 requests per minute: requests asked for at the same moment start 101 ms apart (100 ms and 1 % headroom).
    @Test func requestsAreSpacedEvenly() async {
        let l = limiter(rpm: 600)
        for i in 0..<5 {
            let (wait, permit) = await l.reserve(tokens: 10)
            #expect(permit != nil)
            #expect(close(wait, .milliseconds(101 * i)), "request \(i) waits \(wait)")
        }
        // Time moves on: a request after a quiet second starts at once.
        clock.advance(.seconds(1))
        #expect(await l.reserve(tokens: 10).wait == .zero)
    }

    /// No limit configured: nothing ever waits.
    @Test func noLimitsMeansNoWaiting() async {
        let l = limiter()
        for _ in 0..<100 { #expect(await l.reserve(tokens: 1_000_000).wait == .zero) }
    }

    /// 1,000 tokens per minute: a third request of 400 waits until the first leaves the one-minute window.
    @Test func tokensPerMinuteHoldBackALargeRequest() async {
        let l = limiter(tpm: 1000)
        #expect(await l.reserve(tokens: 400).permit != nil)
        clock.advance(.seconds(10))
        #expect(await l.reserve(tokens: 400).permit != nil)
        let (wait, permit) = await l.reserve(tokens: 400)
        #expect(permit == nil)
        #expect(close(wait, .seconds(50)))
        clock.advance(.seconds(50))
        #expect(await l.reserve(tokens: 400).permit != nil)
    }

    /// The real token count from usageMetadata replaces the estimate, freeing the difference.
    @Test func realUsageReplacesTheEstimate() async throws {
        let l = limiter(tpm: 1000)
        let permit = try #require(await l.reserve(tokens: 900).permit)
        #expect(await l.reserve(tokens: 600).permit == nil)
        await l.settle(permit, actualTokens: 300)
        #expect(await l.reserve(tokens: 600).permit != nil)
    }

    /// A request larger than the whole budget still goes, once the window is empty.
    @Test func anOversizedRequestGoesAlone() async {
        let l = limiter(tpm: 100)
        #expect(await l.reserve(tokens: 500).permit != nil)
        #expect(await l.reserve(tokens: 500).permit == nil)
        clock.advance(.seconds(60))
        #expect(await l.reserve(tokens: 500).permit != nil)
    }

    /// A 429 holds every request for the delay asked for and slows the pace by a fifth; each quiet minute
    /// then gives back a tenth of the limit.
    @Test func a429SlowsDownThenTheLimiterRecovers() async {
        let l = limiter(rpm: 60)
        #expect(await l.reserve(tokens: 1).wait == .zero)
        await l.throttled(retryAfter: .seconds(5))
        #expect(await l.factor == 0.8)
        let held = await l.reserve(tokens: 1)
        #expect(held.permit == nil && close(held.wait, .seconds(5)))
        clock.advance(.seconds(5))
        let first = await l.reserve(tokens: 1)
        #expect(first.permit != nil && first.wait == .zero)
        let second = await l.reserve(tokens: 1)
        #expect(close(second.wait, .milliseconds(1262.5)), "at 80 % of 60 rpm requests are 1.25 s (+1 %) apart, not \(second.wait)")

        clock.advance(.seconds(60))
        _ = await l.reserve(tokens: 1)
        #expect(abs(await l.factor - 0.9) < 1e-9)
        clock.advance(.seconds(30))
        _ = await l.reserve(tokens: 1)
        #expect(abs(await l.factor - 0.9) < 1e-9)
        clock.advance(.seconds(30))
        _ = await l.reserve(tokens: 1)
        #expect(await l.factor == 1.0)
    }

    /// Repeated 429s never take the pace below a tenth of the limit.
    @Test func theSlowdownHasAFloor() async {
        let l = limiter(rpm: 600)
        for _ in 0..<50 { await l.throttled(retryAfter: nil) }
        #expect(await l.factor == 0.1)
        _ = await l.reserve(tokens: 1)
        #expect(close(await l.reserve(tokens: 1).wait, .milliseconds(1010)))
    }

    /// A daily-quota pause holds everything until it ends, says once that it began, and reports its end once.
    @Test func aDailyPauseHoldsEverythingUntilItEnds() async {
        let l = limiter(rpm: 600)
        #expect(await l.pause(for: .seconds(3600), reason: "paused: daily quota"))
        #expect(await !l.pause(for: .seconds(3600), reason: "paused: daily quota"), "the second job meeting it adds no news")
        #expect(await l.isPaused)
        #expect(await l.pauseReason == "paused: daily quota")
        #expect(await l.takeEndedPause() == nil)
        let held = await l.reserve(tokens: 1)
        #expect(held.permit == nil && close(held.wait, .seconds(3600)))
        clock.advance(.seconds(3600))
        #expect(await !l.isPaused)
        #expect(await l.takeEndedPause() == "paused: daily quota")
        #expect(await l.takeEndedPause() == nil)
        #expect(await l.reserve(tokens: 1).permit != nil)
    }

    /// New limits after a reload apply to the next request.
    @Test func reconfiguredLimitsApply() async {
        let l = limiter(rpm: 600)
        _ = await l.reserve(tokens: 1)
        await l.configure(requestsPerMinute: 60, tokensPerMinute: 0)
        #expect(close(await l.reserve(tokens: 1).wait, .milliseconds(101)))
        #expect(close(await l.reserve(tokens: 1).wait, .milliseconds(1111)))
    }
}
