import Foundation
import GeminiAPI
import Testing

@testable import Dropsight

/// The retry rules, without a network, a Store or a clock: what happens to a job after a failed attempt.
@Suite struct RetryDecisionTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    /// A wait that shows which attempt and which service delay it was asked for.
    let wait: (Duration?, Int) -> Duration = { delay, attempt in (delay ?? .zero) + .seconds(attempt * 1000) }

    func decide(
        _ status: Int?, retryable: Bool = true, account: AccountProblem.Kind? = nil, delay: Duration? = nil,
        attempts: Int = 0, max: Int = 8
    ) -> RetryDecision {
        RetryDecision.forRequest(
            httpStatus: status, retryable: retryable, account: account, retryDelay: delay,
            attempts: attempts, maxAttempts: max, now: now, wait: wait)
    }

    @Test func aPermanentFailureFailsAtOnceWhateverTheAttemptsLeft() {
        #expect(decide(400, retryable: false) == .failNow)
        #expect(decide(403, retryable: false, attempts: 0, max: 100) == .failNow)
    }

    @Test func aServerFaultCountsAnAttemptAndWaitsForTheNextOne() {
        #expect(decide(503, attempts: 2) == .retry(after: .seconds(3000)))
        #expect(decide(nil, attempts: 0) == .retry(after: .seconds(1000)), "a connection error has no status")
        #expect(decide(500, delay: .seconds(7), attempts: 0) == .retry(after: .seconds(1007)), "the service's own delay is passed on")
    }

    @Test func theAttemptThatReachesMaxAttemptsGivesUp() {
        #expect(decide(503, attempts: 6, max: 8) == .retry(after: .seconds(7000)))
        #expect(decide(503, attempts: 7, max: 8) == .giveUp)
        #expect(decide(503, attempts: 0, max: 1) == .giveUp)
    }

    @Test func aRateLimitNeverSpendsAnAttemptAndHonoursRetryInfo() {
        #expect(decide(429, delay: .seconds(30), attempts: 7, max: 8) == .throttle(after: .seconds(8030)))
    }

    @Test func aDailyQuotaPausesUntilMidnightPacific() {
        guard case .pause(let until) = decide(429, account: .dailyQuota, attempts: 7, max: 8) else {
            Issue.record("expected a pause")
            return
        }
        #expect(until == DailyQuota.nextReset(after: now))
        #expect(until > now && until.timeIntervalSince(now) <= 25 * 3600)
    }

    @Test func anAccountLevelAnswerHoldsWithoutSpendingAnAttempt() {
        #expect(decide(400, retryable: false, account: .keyRefused, attempts: 7, max: 8) == .hold)
        #expect(decide(404, retryable: false, account: .modelUnavailable) == .hold)
        #expect(decide(429, account: .billing, delay: .seconds(30)) == .hold, "a quota of 0 does not clear by waiting")
    }

    @Test func aTransientLocalFailureFollowsTheSameAttemptRule() {
        #expect(RetryDecision.forTransient(retryDelay: nil, attempts: 0, maxAttempts: 3, wait: wait) == .retry(after: .seconds(1000)))
        #expect(RetryDecision.forTransient(retryDelay: nil, attempts: 2, maxAttempts: 3, wait: wait) == .giveUp)
    }
}

@Suite struct BackoffTests {
    @Test func theDelayDoublesWithFullJitterUpToTheCap() {
        for attempt in 1...12 {
            let ceiling = min(Double(1 << (attempt - 1)), 300)
            for _ in 0..<50 {
                let d = Backoff.delay(attempt: attempt) / .seconds(1)
                #expect(d >= ceiling * 0.5 && d <= ceiling, "attempt \(attempt): \(d) s")
            }
        }
    }

    @Test func theServicesDelayGetsUpToAFifthMore() {
        for _ in 0..<50 {
            let d = Backoff.honouring(.seconds(10), attempt: 5) / .seconds(1)
            #expect(d >= 10 && d <= 12)
        }
        let fallback = Backoff.honouring(.zero, attempt: 3) / .seconds(1)
        #expect(fallback >= 2 && fallback <= 4, "no delay given: the exponential backoff")
    }

    @Test func waitsReadAsPeopleReadThem() {
        #expect(Backoff.describe(.milliseconds(2400)) == "2.4 s")
        #expect(Backoff.describe(.seconds(90)) == "1 min 30 s")
        #expect(Backoff.describe(.seconds(120)) == "2 min")
    }
}

@Suite struct DailyQuotaTests {
    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func theQuotaResetsAtMidnightPacificTime() {
        #expect(DailyQuota.nextReset(after: utc("2026-12-04T16:00:00Z")) == utc("2026-12-05T08:00:00Z"), "PST is UTC-8")
        #expect(DailyQuota.nextReset(after: utc("2026-07-04T16:00:00Z")) == utc("2026-07-05T07:00:00Z"), "PDT is UTC-7")
        #expect(DailyQuota.nextReset(after: utc("2026-12-05T07:59:59Z")) == utc("2026-12-05T08:00:00Z"))
    }

    @Test func daylightSavingChangesMoveTheResetByAnHour() {
        // 8 March 2026: clocks go forward at 02:00 PST; the next midnight is PDT.
        #expect(DailyQuota.nextReset(after: utc("2026-03-08T09:30:00Z")) == utc("2026-03-09T07:00:00Z"))
        // 1 November 2026: clocks go back at 02:00 PDT; that day lasts 25 hours.
        #expect(DailyQuota.nextReset(after: utc("2026-11-01T06:59:00Z")) == utc("2026-11-01T07:00:00Z"))
        #expect(DailyQuota.nextReset(after: utc("2026-11-01T07:00:00Z")) == utc("2026-11-02T08:00:00Z"))
        #expect(DailyQuota.nextReset(after: utc("2026-11-01T09:30:00Z")) == utc("2026-11-02T08:00:00Z"), "01:30 PST, after the change")
    }

    @Test func timesReadInUTC() {
        #expect(DailyQuota.format(utc("2026-11-26T08:00:00Z")) == "2026-11-26 08:00 UTC")
    }
}
