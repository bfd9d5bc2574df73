import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Takes due jobs from the Store and runs them, at most `max_concurrency` at once and paced by the
/// rate limiter. The Store picks jobs fairly across folders (the folder served least recently first).
///
/// It looks at the queue when a job finishes, when the intake rings, and otherwise at least every
/// ``pollInterval``, so jobs queued by another process (`dropsight retry`, `dropsight reprocess`)
/// start within that time. While a daily-quota pause holds, it claims nothing; the pause is read
/// back from the Store at start, and cleared there when it ends. While the key is held (``HoldBoard``) it
/// claims nothing either, and while a model is held it leaves the jobs of the prompts on that model queued.
/// Jobs of folders that go by batch only (`batch = "always"`) are left to ``BatchService``.
///
/// On graceful shutdown it stops taking jobs, lets those in flight finish for up to `shutdown_grace`,
/// then cancels the rest and puts them back in the queue without spending an attempt. Jobs still `running`
/// at start were in flight when the last process ended abnormally: ``CrashRecovery`` deals with them, and
/// a suspect among them runs alone, nothing else beside it.
public final class Scheduler: Service, Sendable {
    let settings: SettingsHolder
    let store: Store
    let jobs: JobRunner
    let limiter: RateLimiter
    let publisher: SidecarPublisher
    let wakeup: Wakeup
    let holds: HoldBoard
    let logger: Logger
    /// Jobs in flight, for the status line.
    let inFlight = ProgressGauge()
    /// Suspects in flight (at most one, and then nothing else runs).
    let suspectsInFlight = ProgressGauge()
    /// The longest the scheduler sleeps without looking at the queue.
    static let pollInterval: Duration = .seconds(2)
    /// How often sidecars that could not be written are tried again.
    static let sidecarRetryInterval: Duration = .seconds(5)

    init(
        settings: SettingsHolder, store: Store, jobs: JobRunner, limiter: RateLimiter, publisher: SidecarPublisher,
        wakeup: Wakeup, holds: HoldBoard, logger: Logger
    ) {
        self.settings = settings
        self.store = store
        self.jobs = jobs
        self.limiter = limiter
        self.publisher = publisher
        self.wakeup = wakeup
        self.holds = holds
        self.logger = logger
    }

    public func run() async throws {
        try await CrashRecovery(store: store, publisher: publisher, logger: logger).run(config: settings.current)
        await restorePause()
        // Holds are not carried over: this process read the key and the configuration afresh.
        await holds.clearRecorded()
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await loop(stopping: stopping)
        } onGracefulShutdown: {
            stopping.set()
            self.wakeup.ring()
        }
        // Nobody checks them any more: `dropsight status` must not show them as in force.
        await holds.clearRecorded()
        // A clean stop: what was cancelled goes back to the queue with no attempt spent and no suspicion.
        do {
            let released = try await store.releaseRunning()
            if released > 0 { logger.notice("\(released) cancelled job(s) are queued again for the next start") }
        } catch {
            logger.error("cannot put the cancelled jobs back in the queue (the next start counts them as interrupted): \(error)")
        }
    }

    /// A daily-quota pause recorded by an earlier run still holds: honour it; one that ended: clear it.
    private func restorePause() async {
        guard let status = try? await store.status(now: Date()), let until = status.pausedUntil else { return }
        if until > Date() {
            let reason = status.pauseReason ?? "paused until \(DailyQuota.format(until))"
            await limiter.pause(for: .seconds(until.timeIntervalSinceNow), reason: reason)
            logger.warning("\(reason); no request is sent before then")
        } else {
            try? await store.setPause(until: nil, reason: nil)
        }
    }

    private func loop(stopping: StopFlag) async {
        await withDiscardingTaskGroup { group in
            var nextSidecarRetry = ContinuousClock.now + Self.sidecarRetryInterval
            while !stopping.isSet && !Task.isCancelled {
                let config = settings.current
                await limiter.configure(
                    requestsPerMinute: config.api.requestsPerMinute,
                    tokensPerMinute: config.api.tokensPerMinute)
                if ContinuousClock.now >= nextSidecarRetry {
                    let left = await publisher.retryUnwritten(config: config)
                    if left > 0 { logger.warning("\(left) sidecar(s) still cannot be written; their results are kept") }
                    nextSidecarRetry = ContinuousClock.now + Self.sidecarRetryInterval
                }
                if let reason = await limiter.takeEndedPause() {
                    logger.notice("pause over (\(reason)); work resumes")
                    try? await store.setPause(until: nil, reason: nil)
                }
                if let held = await limiter.remainingPause, await limiter.pauseReason != nil {
                    await wakeup.wait(timeout: min(held, .seconds(30)))
                    continue
                }
                if holds.keyHeld {
                    // Woken when a check or a reload lifts the hold.
                    await wakeup.wait(timeout: Self.pollInterval)
                    continue
                }
                let skipping = holds.heldPrompts(in: config)
                let batchOnly = BatchPlan.batchOnlyFolders(config)
                let capacity = suspectsInFlight.value > 0 ? 0 : config.api.maxConcurrency - inFlight.value
                var claimed: [Job] = []
                if capacity > 0 {
                    do {
                        claimed = try await store.claimNext(
                            now: Date(), limit: capacity, skipping: skipping, skippingFolders: batchOnly,
                            othersRunning: inFlight.value > 0)
                    } catch {
                        logger.error("cannot read the queue: \(error)")
                    }
                }
                for job in claimed {
                    let suspect = job.crashes > 0
                    inFlight.add(1)
                    if suspect {
                        suspectsInFlight.add(1)
                        logger.notice("\(job.imagePath): \(job.prompt) runs alone: it was in flight when the daemon last ended abnormally")
                    }
                    group.addTask {
                        await self.jobs.run(job)
                        if suspect { self.suspectsInFlight.add(-1) }
                        self.inFlight.add(-1)
                        self.wakeup.ring()
                    }
                }
                if !claimed.isEmpty && inFlight.value < config.api.maxConcurrency { continue }
                var wait = Self.pollInterval
                if inFlight.value < config.api.maxConcurrency,
                    let due = (try? await store.nextDue(skipping: skipping, skippingFolders: batchOnly)) ?? nil
                {
                    wait = min(wait, .milliseconds(Int64(max(10, due.timeIntervalSinceNow * 1000))))
                }
                await wakeup.wait(timeout: min(wait, max(.milliseconds(10), nextSidecarRetry - ContinuousClock.now)))
            }
            // Graceful stop: give requests in flight the grace period, then cancel them.
            let grace = settings.current.state.shutdownGrace
            if inFlight.value > 0 { logger.notice("stopping: waiting up to \(grace) for \(inFlight.value) request(s) in flight") }
            let deadline = ContinuousClock.now + grace
            while inFlight.value > 0 && ContinuousClock.now < deadline {
                await wakeup.wait(timeout: .milliseconds(100))
            }
            if inFlight.value > 0 {
                logger.warning("stopping: cancelling \(inFlight.value) request(s) still in flight; they run again at the next start")
            }
            group.cancelAll()
        }
    }
}
