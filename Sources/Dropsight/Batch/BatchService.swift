import Foundation
import GeminiAPI
import Logging
import ServiceLifecycle
import Store

/// Sends queued jobs through the Gemini Batch API and brings their answers back (see docs/batch.md).
///
/// Each look: every batch in flight takes its next step when due (``BatchSteps``), then new batches are
/// formed where `[api] batch` / `[[folder]] batch` ask for one: `always` folders as soon as their queue has
/// been quiet for a moment, `auto` folders once `batch_min_jobs` of their jobs wait. Every step is recorded in
/// the Store before and after it happens, so a restart picks each batch up where it was; a batch found still
/// `preparing` at start was cut short by an abnormal end: crash recovery ends it, the member it was preparing
/// counted as in flight (a photo that crashes the daemon is quarantined), the others queued again.
///
/// Nothing is sent while the key is held; jobs of prompts on a held model stay queued.
public final class BatchService: Service, Sendable {
    let settings: SettingsHolder
    let store: Store
    let steps: BatchSteps
    let holds: HoldBoard
    let logger: Logger
    let wakeup = Wakeup()
    /// Set at graceful shutdown: no new step starts, and preparing or publishing stops between two jobs.
    let stopping = StopFlag()
    /// The longest the service sleeps between looks.
    static let lookInterval: Duration = .seconds(2)

    init(settings: SettingsHolder, store: Store, runtime: Runtime, jobs: JobRunner, holds: HoldBoard, logger: Logger) {
        self.settings = settings
        self.store = store
        self.steps = BatchSteps(store: store, runtime: runtime, jobs: jobs, stopping: stopping, logger: logger)
        self.holds = holds
        self.logger = logger
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !stopping.isSet && !Task.isCancelled {
                await look(config: settings.current)
                await wakeup.wait(timeout: Self.lookInterval)
            }
        } onGracefulShutdown: {
            self.stopping.set()
            self.wakeup.ring()
        }
    }

    private func look(config: Configuration) async {
        guard !holds.keyHeld else { return }
        let open: [BatchRecord]
        do {
            open = try await store.openBatches()
        } catch {
            logger.error("cannot read the batches in flight: \(error)")
            return
        }
        for batch in open where !stopping.isSet && !Task.isCancelled {
            if let due = batch.nextPollAt, due > Date() { continue }
            await steps.advance(batch, config: config)
        }
        for group in BatchPlan(config: config, heldPrompts: holds.heldPrompts(in: config)).groups where !stopping.isSet && !Task.isCancelled
        {
            await form(group, folders: group.always, threshold: 1, quiet: true, config: config)
            await form(group, folders: group.auto, threshold: config.api.batch.minJobs, quiet: false, config: config)
        }
    }

    /// Forms and submits batches of `folders` while at least `threshold` of their jobs wait; with `quiet`, only once
    /// the newest of them has waited a moment (so a folder being filled is batched once, not photo by photo).
    private func form(_ group: BatchPlan.Group, folders: [String], threshold: Int, quiet: Bool, config: Configuration) async {
        let moment = min(config.api.batch.poll, .seconds(10))
        // A hold placed while preparing (the key or the model refused) stops forming until it is lifted.
        while !stopping.isSet && !Task.isCancelled && !holds.keyHeld && !holds.isHeld(model: group.model) {
            let now = Date()
            guard let waiting = try? await store.batchable(folders: folders, prompts: group.prompts, now: now),
                waiting.count >= threshold, waiting.count > 0
            else { return }
            if quiet, waiting.count < config.api.batch.maxRequests, let newest = waiting.newest, newest.adding(moment) > now {
                return
            }
            let displayName = "dropsight-" + UUID().uuidString.lowercased()
            let begun: (BatchRecord, [Job])?
            do {
                begun = try await store.beginBatch(
                    displayName: displayName, model: group.model, folders: folders, prompts: group.prompts,
                    limit: config.api.batch.maxRequests, now: now)
            } catch {
                logger.error("cannot record a new batch: \(error)")
                return
            }
            guard let (batch, jobs) = begun else { return }
            logger.info("batch \(displayName): \(jobs.count) request(s) for \(group.model)")
            guard await steps.submit(batch, jobs: jobs, config: config) else { return }
        }
    }
}
