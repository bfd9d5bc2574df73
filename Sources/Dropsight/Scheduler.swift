import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Takes due jobs from the Store and runs them, at most `max_concurrency` at once and paced by the
/// rate limiter. The Store picks jobs fairly across folders.
///
/// On graceful shutdown it stops taking jobs, lets those in flight finish for up to `shutdown_grace`,
/// then cancels the rest (they stay `running` in the Store and go back to `pending` at the next start).
public final class Scheduler: Service, Sendable {
    let settings: SettingsHolder
    let store: Store
    let jobs: JobRunner
    let wakeup: Wakeup
    let logger: Logger
    /// Jobs in flight, for the status line.
    let inFlight = ProgressGauge()

    init(settings: SettingsHolder, store: Store, jobs: JobRunner, wakeup: Wakeup, logger: Logger) {
        self.settings = settings
        self.store = store
        self.jobs = jobs
        self.wakeup = wakeup
        self.logger = logger
    }

    public func run() async throws {
        let recovered = try await store.recoverRunning()
        if recovered > 0 { logger.notice("\(recovered) job(s) interrupted by the last stop are queued again") }
        let stopping = StopFlag()
        try await withGracefulShutdownHandler {
            try await loop(stopping: stopping)
        } onGracefulShutdown: {
            stopping.set()
            self.wakeup.ring()
        }
    }

    private func loop(stopping: StopFlag) async throws {
        await withDiscardingTaskGroup { group in
            while !stopping.isSet && !Task.isCancelled {
                let capacity = settings.current.api.maxConcurrency - inFlight.value
                var claimed: [Job] = []
                if capacity > 0 {
                    do {
                        claimed = try await store.claimNext(now: Date(), limit: capacity)
                    } catch {
                        logger.error("cannot read the queue: \(error)")
                    }
                }
                for job in claimed {
                    inFlight.add(1)
                    group.addTask {
                        await self.jobs.run(job)
                        self.inFlight.add(-1)
                        self.wakeup.ring()
                    }
                }
                if !claimed.isEmpty && inFlight.value < settings.current.api.maxConcurrency { continue }
                let due = (try? await store.nextDue()) ?? nil
                let wait = due.map { max(0.01, min(30, $0.timeIntervalSinceNow)) } ?? 30
                await wakeup.wait(timeout: .milliseconds(Int64(wait * 1000)))
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

/// A count that goes up and down (requests in flight).
final class ProgressGauge: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// Set once when a graceful shutdown begins.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
