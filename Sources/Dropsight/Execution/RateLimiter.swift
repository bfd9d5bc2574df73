import Foundation
import Synchronization

/// Paces requests to `requests_per_minute` and `tokens_per_minute`, adapting down after a 429 and
/// recovering after a quiet minute, and pausing everything when the service asks for it.
///
/// Requests are spaced evenly rather than sent in bursts, 1 % wider than the limit allows
/// (60 s / limit x 1.01): the server counts arrivals over a sliding minute, and the jitter between a
/// start here and an arrival there must never fit one request too many into its window. Tokens are counted over a sliding minute:
/// each request reserves its estimate (the image token rule plus the text), replaced by the real
/// `usageMetadata.totalTokenCount` once the answer is in. Each caller reserves its slot inside the
/// actor and sleeps outside it; ``waiting`` counts the callers asleep, so the watchdog can tell a
/// deliberate wait from a request that is stuck.
public actor RateLimiter {
    public typealias Instant = ContinuousClock.Instant

    private var requestsPerMinute: Int
    private var tokensPerMinute: Int
    /// 1.0 = the configured limits; lowered by a fifth after each 429, never below 0.1.
    private(set) var factor: Double = 1.0
    private var nextSlot: Instant
    private var tokenWindow: [(at: Instant, tokens: Int, id: Int)] = []
    private var nextID = 0
    private var lastThrottle: Instant?
    /// Until when every request waits, if it does.
    public private(set) var pausedUntil: Instant?
    /// Why everything is paused (a daily quota), for the status line; nil for a short retry delay.
    public private(set) var pauseReason: String?
    private let now: @Sendable () -> Instant
    /// How much wider than the limit requests are spaced.
    static let headroom = 1.01
    private let sleepers = Atomic<Int>(0)

    /// Callers of ``acquire(tokens:)`` asleep right now: waiting on purpose for a slot, the token window or a pause.
    public nonisolated var waiting: Int { sleepers.load(ordering: .relaxed) }

    /// 0 for either limit means none.
    public init(requestsPerMinute: Int, tokensPerMinute: Int) {
        self.init(requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute, now: { ContinuousClock.now })
    }

    /// `now` tells the time (tests pass a clock they move by hand).
    init(requestsPerMinute: Int, tokensPerMinute: Int, now: @escaping @Sendable () -> Instant) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.now = now
        nextSlot = now()
    }

    /// A granted request: report its real token count with `settle`.
    public struct Permit: Sendable {
        let id: Int
        let estimated: Int
    }

    /// Takes new limits (after a reload); the pace and the token window carry on.
    public func configure(requestsPerMinute: Int, tokensPerMinute: Int) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// Waits until a request estimated at `tokens` may start. Throws only when cancelled.
    public nonisolated func acquire(tokens: Int) async throws -> Permit {
        while true {
            let (delay, permit) = await reserve(tokens: tokens)
            if delay > .zero {
                sleepers.add(1, ordering: .relaxed)
                defer { sleepers.subtract(1, ordering: .relaxed) }
                try await Task.sleep(for: delay)
            }
            if let permit { return permit }
        }
    }

    /// A wait, then either a permit (its slot starts after the wait) or nil to ask again after the wait.
    func reserve(tokens: Int) -> (wait: Duration, permit: Permit?) {
        let now = now()
        recover(now: now)
        if let until = pausedUntil {
            if until > now { return (until - now, nil) }
            pausedUntil = nil
        }
        tokenWindow.removeAll { now - $0.at >= .seconds(60) }
        if tokensPerMinute > 0 {
            let limit = Int(Double(tokensPerMinute) * factor)
            let used = tokenWindow.reduce(0) { $0 + $1.tokens }
            if used + tokens > limit, let oldest = tokenWindow.min(by: { $0.at < $1.at }) {
                // A request larger than the whole budget still goes once the window is empty.
                return (max(.milliseconds(10), oldest.at + .seconds(60) - now), nil)
            }
        }
        var start = now
        if requestsPerMinute > 0 {
            let interval = Duration.seconds(60) * Self.headroom / (Double(requestsPerMinute) * factor)
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

    /// After a 429: lower the pace by a fifth (not below a tenth of the limit) and hold every request
    /// for the wait the service asked for.
    public func throttled(retryAfter: Duration?) {
        let now = now()
        factor = max(0.1, factor * 0.8)
        lastThrottle = now
        // The slots already handed out keep their times; the next one is spaced at the new pace.
        if let retryAfter, retryAfter > .zero { hold(until: now + retryAfter) }
    }

    /// Stops every request for `duration` and says why (a daily quota); true when no such pause held already.
    @discardableResult
    public func pause(for duration: Duration, reason: String) -> Bool {
        hold(until: now() + duration)
        defer { pauseReason = reason }
        return pauseReason == nil
    }

    /// True while everything is paused.
    public var isPaused: Bool { pausedUntil.map { $0 > now() } ?? false }

    /// How long requests are still held, nil when they are not.
    public var remainingPause: Duration? {
        guard let until = pausedUntil else { return nil }
        let left = until - now()
        return left > .zero ? left : nil
    }

    /// The reason of a pause that has just run out (and forgets it), so the caller can clear what it persisted.
    public func takeEndedPause() -> String? {
        guard let reason = pauseReason, !isPaused else { return nil }
        pauseReason = nil
        return reason
    }

    private func hold(until: Instant) {
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    /// Each full minute without a 429 gives back a tenth of the limit.
    private func recover(now: Instant) {
        guard factor < 1.0, let last = lastThrottle, now - last >= .seconds(60) else { return }
        factor = min(1.0, factor + 0.1)
        lastThrottle = now
    }
}
