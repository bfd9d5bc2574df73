import Foundation
import Logging
import ServiceLifecycle
import Store
import Systemd

/// Keeps systemd's STATUS= line current, pings the watchdog only while work really progresses (or
/// there is nothing to do), and sends STOPPING=1 as soon as a graceful shutdown begins.
///
/// Put it last in the ServiceGroup: services stop in reverse order, so it is the first to hear of
/// the shutdown.
final class StatusReporter: Service, Sendable {
    let store: Store
    let scheduler: Scheduler
    let limiter: RateLimiter
    let holds: HoldBoard
    let progress: ProgressCounter
    let notifier: any ServiceNotifier
    let logger: Logger

    init(
        store: Store, scheduler: Scheduler, limiter: RateLimiter, holds: HoldBoard, progress: ProgressCounter,
        notifier: any ServiceNotifier, logger: Logger
    ) {
        self.store = store
        self.scheduler = scheduler
        self.limiter = limiter
        self.holds = holds
        self.progress = progress
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.report() }
        notifier.stopping()
        let inFlight = scheduler.inFlight.value
        if Task.isShuttingDownGracefully { logger.notice("stopping: no new work is taken; \(inFlight) request(s) in flight") }
        notifier.status(inFlight > 0 ? "stopping: \(inFlight) request(s) in flight" : "stopping")
    }

    /// Every tick (5 s, or half the watchdog interval when that is shorter): STATUS= when it changed,
    /// WATCHDOG=1 when the gate allows. Returns when cancelled.
    private func report() async {
        let period = notifier.watchdogInterval.map { min(.seconds(5), $0 / 2) } ?? .seconds(5)
        var gate = WatchdogGate()
        var lastStatus = ""
        while !Task.isCancelled {
            let tick = await look()
            if let line = tick.line, line != lastStatus {
                notifier.status(line)
                lastStatus = line
            }
            if notifier.watchdogInterval != nil, gate.shouldPing(tick.snapshot) { notifier.watchdog() }
            try? await Task.sleep(for: period)
        }
    }

    /// The status line (nil when the Store cannot be read) and the watchdog's view of the pipeline.
    private func look() async -> (line: String?, snapshot: PipelineSnapshot) {
        let progress = UInt64(truncatingIfNeeded: progress.value)
        // Waiting is read first, so a job that begins to wait between the two reads still counts as working.
        let waiting = limiter.waiting
        let inFlight = scheduler.inFlight.value
        let now = Date()
        guard let status = try? await store.status(now: now) else {
            // An unreadable queue counts as work: if nothing moves either, the watchdog restarts us.
            return (nil, PipelineSnapshot(progress: progress, hasWork: true))
        }
        let paused = await limiter.isPaused
        let pauseReason = paused ? await limiter.pauseReason ?? "paused: rate limited" : nil
        let config = scheduler.settings.current
        // Jobs of a held scope are not due: the scheduler leaves them queued on purpose.
        let due = (try? await store.nextDue(skipping: holds.heldPrompts(in: config))).flatMap { $0 }.map { $0 <= now } ?? false
        let hasWork = Self.hasWork(
            inFlight: inFlight, waiting: waiting, due: due, paused: paused || holds.keyHeld,
            maxConcurrency: config.api.maxConcurrency)
        return (
            Self.line(status, inFlight: inFlight, pauseReason: pauseReason, holds: holds.all.map(\.statusLine)),
            PipelineSnapshot(progress: progress, hasWork: hasWork)
        )
    }

    /// Whether the pipeline has work it must be moving forward on; the watchdog is not pinged while it has and
    /// does not move.
    ///
    /// Work is a job in flight that is not asleep in the rate limiter (it is preparing its image, uploading, or
    /// waiting for an answer on the wire), or a due job the scheduler has room for while no pause holds.
    /// Waiting on purpose is not work: for a rate-limit slot or the token window, a `RetryInfo` hold, a
    /// daily-quota pause (all asleep in the rate limiter, or not claimed), a retry back-off (not due yet), or an
    /// account-level hold (`paused` while the key is held; a held model's jobs are not counted as due).
    static func hasWork(inFlight: Int, waiting: Int, due: Bool, paused: Bool, maxConcurrency: Int) -> Bool {
        inFlight - waiting > 0 || (due && !paused && inFlight < maxConcurrency)
    }

    /// "3 queued, 1 in flight, 1,204 done, 2 failed; 1.2 M tokens today", after what stops work if anything does:
    /// "held: the API key was refused (400 API_KEY_INVALID); …; 3 queued, …" or "paused: daily quota reached, …; …".
    static func line(_ s: StoreStatus, inFlight: Int, pauseReason: String?, holds: [String]) -> String {
        let queued = s.counts[.pending] ?? 0
        let counts =
            "\(group(queued)) queued, \(inFlight) in flight, \(group(s.counts[.done] ?? 0)) done, \(group(s.counts[.failed] ?? 0)) failed; \(tokens(s.tokensToday)) tokens today"
        return (holds + [pauseReason, counts].compactMap { $0 }).joined(separator: "; ")
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
