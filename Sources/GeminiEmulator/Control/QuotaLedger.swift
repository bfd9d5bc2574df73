import Foundation
import Synchronization

/// Per-model request and prompt-token quotas over the emulator clock.
///
/// Minute quotas use a sliding 60 s window; the day quota resets at midnight Pacific time,
/// as Google's does. A refused request is not counted.
final class QuotaLedger: Sendable {
    struct Limits: Sendable, Equatable {
        var requestsPerMinute: Int?
        var tokensPerMinute: Int?
        var requestsPerDay: Int?
    }

    private struct Usage {
        var minute: [(time: Date, tokens: Int)] = []
        var day: String = ""
        var dayCount = 0
    }

    private struct State {
        var limits: Limits
        var usage: [String: Usage] = [:]
    }

    private let state: Mutex<State>
    private static let pacific = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: -8 * 3600)!

    init(limits: Limits) {
        state = Mutex(State(limits: limits))
    }

    var limits: Limits {
        get { state.withLock { $0.limits } }
        set { state.withLock { $0.limits = newValue } }
    }

    func reset() {
        state.withLock { $0.usage.removeAll() }
    }

    /// Admits one request of `tokens` prompt tokens for `model` at `now`, or says which quota is spent.
    func admit(model: String, tokens: Int, now: Date) -> QuotaError? {
        state.withLock { state in
            var usage = state.usage[model] ?? Usage()
            usage.minute.removeAll { now.timeIntervalSince($0.time) >= 60 }
            let day = Self.dayKey(now)
            if usage.day != day {
                usage.day = day
                usage.dayCount = 0
            }
            defer { state.usage[model] = usage }
            let limits = state.limits
            if let perDay = limits.requestsPerDay, usage.dayCount >= perDay {
                return QuotaError(
                    quota: .requestsPerDay, limit: perDay, model: model,
                    retryAfterSeconds: Self.secondsToPacificMidnight(now))
            }
            if let perMinute = limits.requestsPerMinute, usage.minute.count >= perMinute {
                let oldest = usage.minute[usage.minute.count - perMinute].time
                return QuotaError(
                    quota: .requestsPerMinute, limit: perMinute, model: model,
                    retryAfterSeconds: max(0.001, 60 - now.timeIntervalSince(oldest)))
            }
            if let perMinute = limits.tokensPerMinute {
                let used = usage.minute.reduce(0) { $0 + $1.tokens }
                if used + tokens > perMinute {
                    return QuotaError(
                        quota: .inputTokensPerMinute, limit: perMinute, model: model,
                        retryAfterSeconds: Self.waitForTokens(usage.minute, need: tokens, limit: perMinute, now: now))
                }
            }
            usage.minute.append((now, tokens))
            usage.dayCount += 1
            return nil
        }
    }

    /// Seconds until enough of the window has slid out for `need` more tokens to fit.
    private static func waitForTokens(_ window: [(time: Date, tokens: Int)], need: Int, limit: Int, now: Date) -> Double {
        guard need <= limit else { return 60 }
        var used = window.reduce(0) { $0 + $1.tokens }
        for entry in window {
            used -= entry.tokens
            if used + need <= limit { return max(0.001, 60 - now.timeIntervalSince(entry.time)) }
        }
        return 60
    }

    private static func dayKey(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = pacific
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.year ?? 0)-\(parts.month ?? 0)-\(parts.day ?? 0)"
    }

    private static func secondsToPacificMidnight(_ date: Date) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = pacific
        let start = calendar.startOfDay(for: date)
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? date.addingTimeInterval(86400)
        return next.timeIntervalSince(date)
    }
}
