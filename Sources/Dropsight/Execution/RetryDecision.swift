import Foundation
import GeminiAPI

/// What becomes of a job whose attempt failed: decided from the failure, the job's attempts and
/// `max_attempts` alone, so the rules can be read and tested in one place.
///
/// - An account-level answer (the key refused, permission denied, the model gone, billing; see
///   ``GeminiAPI/GeminiError/accountProblem``) is not the job's fault: its scope is held and the job goes back
///   without counting an attempt.
/// - A permanent failure (400, 403 not about a file, a blocked prompt) fails the job at once.
/// - A transient one (408, 5xx, timeouts, connection errors) counts an attempt and comes back after an
///   exponential backoff with jitter, or after the service's own `RetryInfo` / `Retry-After` delay plus up
///   to a fifth more; the attempt that reaches `max_attempts` fails the job.
/// - A 429 puts the job back without counting an attempt (the limit, not the job, was at fault) and
///   slows every request down for the delay asked for.
/// - A daily-quota 429 pauses all work until the quota resets (midnight Pacific time).
enum RetryDecision: Equatable {
    /// Fail the job now, with the reason in the sidecar.
    case failNow
    /// The last attempt failed: fail the job now.
    case giveUp
    /// Count an attempt and try again after the wait.
    case retry(after: Duration)
    /// Rate limited: put the job back after the wait without counting an attempt, and slow down.
    case throttle(after: Duration)
    /// Daily quota exhausted: pause all work until then.
    case pause(until: Date)
    /// The account, not the job, is at fault: hold the problem's scope and put the job back without counting an attempt.
    case hold

    /// A failed request.
    ///
    /// - Parameters:
    ///   - attempts: attempts the job made before this one.
    ///   - wait: the wait before the next try of attempt `n` given the service's delay (``Backoff/honouring(_:attempt:)``).
    static func forRequest(
        httpStatus: Int?, retryable: Bool, account: AccountProblem.Kind?, retryDelay: Duration?, attempts: Int,
        maxAttempts: Int, now: Date,
        wait: (Duration?, Int) -> Duration = Backoff.honouring
    ) -> RetryDecision {
        switch account {
        case .dailyQuota?: return .pause(until: DailyQuota.nextReset(after: now))
        case .some: return .hold
        case nil: break
        }
        guard retryable else { return .failNow }
        guard httpStatus == 429 else {
            return forTransient(retryDelay: retryDelay, attempts: attempts, maxAttempts: maxAttempts, wait: wait)
        }
        return .throttle(after: wait(retryDelay, attempts + 1))
    }

    /// A transient failure that is not an API answer (an unreadable file, a busy database).
    static func forTransient(
        retryDelay: Duration?, attempts: Int, maxAttempts: Int,
        wait: (Duration?, Int) -> Duration = Backoff.honouring
    ) -> RetryDecision {
        attempts + 1 >= maxAttempts ? .giveUp : .retry(after: wait(retryDelay, attempts + 1))
    }
}
