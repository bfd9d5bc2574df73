import Foundation

/// Paces requests to `requests_per_minute` and `tokens_per_minute`, adapting down after a 429 and
/// recovering after a quiet minute, and pausing everything when the service asks for it.
///
/// Requests are spaced evenly (60 s / limit apart) rather than sent in bursts, so a sliding one-minute
/// window on the server never sees more than the limit. Each caller reserves its slot inside the actor
/// and sleeps outside it.
public actor RateLimiter {
    private let requestsPerMinute: Int
    private let tokensPerMinute: Int
    /// 1.0 = the configured limits; lowered after 429s.
    private(set) var factor: Double = 1.0
    private var nextSlot: ContinuousClock.Instant
    private var tokenWindow: [(at: ContinuousClock.Instant, tokens: Int, id: Int)] = []
    private var nextID = 0
    private var lastThrottle: ContinuousClock.Instant?
    private var pausedUntil: ContinuousClock.Instant?
    /// Why everything is paused, for the status line.
    public private(set) var pauseReason: String?
    private let clock = ContinuousClock()

    /// 0 for either limit means none.
    public init(requestsPerMinute: Int, tokensPerMinute: Int) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        nextSlot = ContinuousClock.now
    }

    /// A granted request: report its real token count with `settle`.
    public struct Permit: Sendable { let id: Int; let estimated: Int }

    /// Waits until a request estimated at `tokens` may start.
    public nonisolated func acquire(tokens: Int) async throws -> Permit {
        while true {
            let (delay, permit) = await reserve(tokens: tokens)
            if delay > .zero { try await Task.sleep(for: delay) }
            if let permit { return permit }
        }
    }

    /// A wait, then either a permit (its slot starts after the wait) or nil to ask again.
    private func reserve(tokens: Int) -> (Duration, Permit?) {
        let now = clock.now
        recover(now: now)
        if let until = pausedUntil {
            if until > now { return (until - now, nil) }
            pausedUntil = nil
            pauseReason = nil
        }
        tokenWindow.removeAll { now - $0.at >= .seconds(60) }
        if tokensPerMinute > 0 {
            let limit = Int(Double(tokensPerMinute) * factor)
            let used = tokenWindow.reduce(0) { $0 + $1.tokens }
            if used + tokens > limit, let oldest = tokenWindow.first {
                // A request larger than the whole budget still goes once the window is empty.
                return (max(.milliseconds(10), oldest.at + .seconds(60) - now), nil)
            }
        }
        var start = now
        if requestsPerMinute > 0 {
            let interval = Duration.seconds(60) / (Double(requestsPerMinute) * factor)
            start = max(now, nextSlot)
            nextSlot = start + interval
        }
        nextID += 1
        tokenWindow.append((start, tokens, nextID))
        return (start - now, Permit(id: nextID, estimated: tokens))
    }

    /// Replaces a permit's estimate with the real count from `usageMetadata`.
    public func settle(_ permit: Permit, actualTokens: Int) {
        if let i = tokenWindow.firstIndex(where: { $0.id == permit.id }) { tokenWindow[i].tokens = actualTokens }
    }

    /// After a 429: lower the pace by a fifth (not below a tenth of the limit) and honour the wait asked for.
    public func throttled(retryAfter: Duration?) {
        let now = clock.now
        factor = max(0.1, factor * 0.8)
        lastThrottle = now
        if let retryAfter, retryAfter > .zero { pause(until: now + retryAfter, reason: nil) }
    }

    /// Stops every request until `until` (a daily quota, or a retry delay).
    public func pause(until: ContinuousClock.Instant, reason: String?) {
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
        if let reason { pauseReason = reason }
    }

    public func pause(for duration: Duration, reason: String?) { pause(until: clock.now + duration, reason: reason) }

    /// True while everything is paused.
    public var isPaused: Bool { pausedUntil.map { $0 > clock.now } ?? false }

    /// Each full minute without a 429 gives back a tenth of the limit.
    private func recover(now: ContinuousClock.Instant) {
        guard factor < 1.0, let last = lastThrottle, now - last >= .seconds(60) else { return }
        factor = min(1.0, factor + 0.1)
        lastThrottle = now
    }
}
