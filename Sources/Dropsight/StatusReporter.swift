import Foundation
import Logging
import ServiceLifecycle
import Store

/// Keeps systemd's STATUS= line current and pings the watchdog only while work really progresses
/// (or there is nothing to do), so a stuck pipeline gets the service restarted.
final class StatusReporter: Service, Sendable {
    let store: Store
    let scheduler: Scheduler
    let limiter: RateLimiter
    let progress: ProgressCounter
    let notifier: any ServiceNotifier
    let logger: Logger

    init(store: Store, scheduler: Scheduler, limiter: RateLimiter, progress: ProgressCounter, notifier: any ServiceNotifier, logger: Logger) {
        self.store = store
        self.scheduler = scheduler
        self.limiter = limiter
        self.progress = progress
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        let period = notifier.watchdogInterval.map { min(.seconds(5), $0 / 2) } ?? .seconds(5)
        var lastProgress = progress.value
        var lastProgressAt = ContinuousClock.now
        var lastStatus = ""
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = ContinuousClock.now
            let moved = progress.value != lastProgress
            if moved { lastProgress = progress.value; lastProgressAt = now }
            var idle = false
            if let status = try? await store.status(now: Date()) {
                let paused = await limiter.isPaused ? await limiter.pauseReason : nil
                let line = Self.line(status, inFlight: scheduler.inFlight.value, pauseReason: paused)
                if line != lastStatus { notifier.status(line); lastStatus = line }
                let due = (try? await store.nextDue()).flatMap { $0 }.map { $0 <= Date() } ?? false
                idle = scheduler.inFlight.value == 0 && (!due || paused != nil)
            }
            if let interval = notifier.watchdogInterval {
                // Progress within the watchdog period, or an idle pipeline, keeps systemd happy.
                if idle || now - lastProgressAt < interval { notifier.watchdog() }
            }
            try? await Task.sleep(for: period)
        }
    }

    /// "3 queued, 1 in flight, 1,204 done, 2 failed; 1.2 M tokens today" or "paused: daily quota until 09:00 UTC; …".
    static func line(_ s: StoreStatus, inFlight: Int, pauseReason: String?) -> String {
        let queued = (s.counts[.pending] ?? 0)
        var text = "\(group(queued)) queued, \(inFlight) in flight, \(group(s.counts[.done] ?? 0)) done, \(group(s.counts[.failed] ?? 0)) failed; \(tokens(s.tokensToday)) tokens today"
        if let pauseReason { text = pauseReason + "; " + text }
        return text
    }

    static func group(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: n)) ?? String(n)
    }

    static func tokens(_ n: Int) -> String {
        if n >= 1_000_000 { return String(format: "%.1f M", Double(n) / 1_000_000) }
        if n >= 10_000 { return String(format: "%.0f k", Double(n) / 1_000) }
        return String(n)
    }
}
