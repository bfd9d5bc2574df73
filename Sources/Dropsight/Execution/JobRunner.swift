import FileAccess
import Foundation
import GeminiAPI
import Logging
import Store

/// Runs one queued job (one prompt on one image) and records what happened in the Store and the sidecar.
///
/// An image that is not a supported, sane image fails its job at once with the reason in the sidecar;
/// a failed request is failed, retried, throttled, paused or held as ``RetryDecision`` decides. A daily-quota
/// pause is recorded in the Store, so `dropsight status` shows it and a restart keeps it. An account-level
/// answer holds its scope on the ``HoldBoard``: the job goes back to the queue, with no sidecar and no attempt spent.
public struct JobRunner: Sendable {
    let settings: SettingsHolder
    let store: Store
    let runtime: Runtime
    let limiter: RateLimiter
    let publisher: SidecarPublisher
    let subjects: SubjectCache
    let logger: Logger
    let progress: ProgressCounter
    let holds: HoldBoard

    public func run(_ job: Job) async {
        let config = settings.current
        defer { progress.bump() }
        guard let context = await context(for: job, config: config) else { return }
        let (prompt, subject) = (context.prompt, context.subject)
        let profile = await runtime.profiles.profile(for: prompt.effectiveModel(default: config.api.model))
        let resolution = profile.sendResolution(for: prompt, caps: config.api.autoMaxSide)
        let observed = await runtime.imageTokens.current()
        let estimate =
            (try? await BlockingWork.run { try observed.tokens(of: subject.prepared(resolution), profile: profile, for: prompt) }) ?? 1000
        let permit: RateLimiter.Permit
        do {
            permit = try await limiter.acquire(tokens: estimate + prompt.text.utf8.count / 4)
        } catch {
            return  // stopping: the job stays running in the Store and is queued again at the next start
        }
        #if DEBUG
            TestCrashHook.crashIfAsked(imagePath: job.imagePath)
        #endif
        // A hold may have begun while this job waited for its slot: it waits in the queue instead.
        guard !holds.isHeld(model: prompt.effectiveModel(default: config.api.model)) else {
            _ = try? await store.requeue(job, at: Date(), now: Date())
            return
        }

        let outcome: PromptRunner.Outcome
        do {
            outcome = try await runtime.runner(for: config).run(
                prompt, on: subject, output: context.location.output,
                uses: context.folder.uses(of: prompt, in: config))
        } catch {
            if Task.isCancelled { return }
            await handleRequestFailure(error, job: job, context: context, config: config)
            return
        }
        // Cancelled at stop (after the grace period): record nothing; the job stays `running` in the
        // Store and runs again at the next start.
        if Task.isCancelled { return }
        if let total = outcome.usage?.totalTokenCount { await limiter.settle(permit, actualTokens: total) }
        await conclude(job, outcome, context: context, config: config)
    }

    /// What a job runs on: its folder, prompt, output location and photo, and a logger that names them.
    struct Context: Sendable {
        var folder: FolderSettings
        var prompt: PromptSettings
        var location: OutputLocation
        var subject: ImageSubject
        var log: Logger
    }

    /// The job's context, or nil when the job was dealt with here: its folder or prompt no longer configured,
    /// its photo gone (dropped), not a sane image (failed for good) or unreadable (retried later).
    func context(for job: Job, config: Configuration) async -> Context? {
        var log = logger
        log[metadataKey: "dropsight.image"] = .string(job.imagePath)
        log[metadataKey: "dropsight.prompt"] = .string(job.prompt)
        log[metadataKey: "dropsight.job"] = .string(String(job.id))
        guard let folder = config.folder(owning: job.folder),
            let prompt = config.prompts[job.prompt], folder.prompts.contains(job.prompt)
        else {
            await discardUnconfigured(job, config: config, log: log)
            return nil
        }
        let location = OutputLocation(imagePath: job.imagePath, folderRoot: folder.path, outputDir: folder.outputDir, xmp: folder.xmp)
        guard PathBytes.exists(job.imagePath) else {
            _ = try? await store.forget(imagePath: job.imagePath)
            await subjects.forget(path: job.imagePath)
            log.notice("dropped from the queue: \(job.imagePath) was deleted or moved away before its turn")
            return nil
        }

        let subject: ImageSubject
        do {
            let store = store
            subject = try await subjects.subject(path: job.imagePath, root: folder.path, limits: config.images) {
                try? await store.image(path: job.imagePath).map {
                    RecordedFile(device: $0.device, inode: $0.inode, size: $0.size, mtimeNs: $0.mtimeNs, sha256: $0.sha256)
                }
            }
        } catch let rejected as ImageSubject.Rejected {
            log.warning("rejected: \(rejected.message)")
            await failForGood(
                job, JobFailure(code: rejected.code, message: rejected.message),
                facts: rejected.facts, location: location, config: config, log: log)
            return nil
        } catch {
            await retryLater(
                job, JobFailure(code: "unreadable", message: "\(error)"), facts: nil,
                location: location, config: config, log: log)
            return nil
        }

        if subject.needsPlan {
            // The photo is decoded once, for the largest copy its unfinished prompts send.
            let names = (try? await store.unfinishedPrompts(imagePath: job.imagePath)) ?? [job.prompt]
            await subject.plan(for: names.compactMap { config.prompts[$0] }, config: config, profiles: runtime.profiles)
        }
        return Context(folder: folder, prompt: prompt, location: location, subject: subject, log: log)
    }

    /// Records an answered prompt (interactive or from a batch): the result and its usage in the Store and the
    /// sidecar, or the failure for good when the answer is an `error`.
    func conclude(_ job: Job, _ outcome: PromptRunner.Outcome, context: Context, config: Configuration) async {
        let (subject, location, log) = (context.subject, context.location, context.log)
        let usage = outcome.usage.map {
            Usage(
                model: outcome.result.model, promptTokens: $0.promptTokenCount ?? 0, outputTokens: $0.candidatesTokenCount ?? 0,
                thoughtsTokens: $0.thoughtsTokenCount ?? 0, totalTokens: $0.totalTokenCount ?? 0)
        }
        guard outcome.result.status == .ok else {
            let e = outcome.result.error ?? .init(message: "failed", code: "error")
            log.warning("\(subject.facts.file): \(job.prompt) failed: \(e.message)")
            if let usage { try? await store.recordUsage(usage, at: Date()) }
            await failForGood(
                job, JobFailure(code: e.code, message: e.message), facts: subject.facts,
                location: location, config: config, log: log)
            return
        }
        let data: Data
        do {
            data = try JSONEncoder().encode(outcome.result)
        } catch {
            await failForGood(
                job, JobFailure(code: "internal", message: "the result cannot be encoded: \(error)"), facts: subject.facts,
                location: location, config: config, log: log)
            return
        }
        let store = store
        do {
            let accepted = try await publisher.record(
                (job.prompt, outcome.result), facts: subject.facts, imagePath: job.imagePath,
                location: location, prompts: config.prompts, defaultModel: config.api.model
            ) {
                try await store.complete(job, result: data, usage: usage, now: Date())
            }
            if accepted {
                log.debug("\(subject.facts.file): \(job.prompt) ok (\(outcome.result.usage?.totalTokens ?? 0) tokens)")
                await finished(job, location: location, config: config, log: log)
            } else {
                log.info("\(subject.facts.file): \(job.prompt) answered, but the image or prompt changed meanwhile; it runs again")
            }
        } catch let error as StoreError {
            log.error("cannot record the result: \(error)")
            await retryLater(
                job, JobFailure(code: "state_database", message: "\(error)"), facts: subject.facts,
                location: location, config: config, log: log)
        } catch let pending as OutputsPending {
            log.warning("\(subject.facts.file): \(job.prompt) ok, but \(pending) (the result is kept; tried again until the disk takes it)")
        } catch  where OutputFailure.isPermanent(error) {
            log.error(
                "\(subject.facts.file): \(job.prompt) ok, but the sidecar can never be written there: \(error) (the result is kept; written by the scan of the next reload or start)"
            )
        } catch {
            log.error(
                "\(subject.facts.file): \(job.prompt) ok, but the sidecar cannot be written (the result is kept and written when this clears): \(error)"
            )
        }
    }

    /// The job's folder or prompt was removed from the configuration after it was queued.
    private func discardUnconfigured(_ job: Job, config: Configuration, log: Logger) async {
        let used = Set(config.folders.flatMap(\.prompts))
        if !config.folders.contains(where: { $0.path == job.folder }) || !used.contains(job.prompt) {
            // Put it back, then drop what no configuration asks for any more; finished results stay.
            _ = try? await store.requeue(job, at: Date(), now: Date())
            if config.folders.contains(where: { $0.path == job.folder }) {
                _ = try? await store.dropPending(promptsNotIn: used.sorted())
            } else {
                _ = try? await store.drop(imagePath: job.imagePath)
            }
            log.notice("dropped from the queue: prompt \(job.prompt) is no longer configured for \(job.folder)")
        } else {
            let failure = JobFailure(
                code: "not_configured", message: "prompt \(job.prompt) is no longer configured for folder \(job.folder)")
            _ = try? await store.fail(job, error: failure, permanent: true, retryAt: nil, now: Date())
            log.notice("\(failure.message); not run")
        }
    }

    /// A request that failed: fail the job, retry it later, slow down, or pause, as ``RetryDecision`` says.
    func handleRequestFailure(_ error: GeminiError, job: Job, context: Context, config: Configuration) async {
        let (facts, location, log) = (context.subject.facts, context.location, context.log)
        let failure = JobFailure(code: error.shortCode, message: error.message, httpStatus: error.httpStatus)
        let decision = RetryDecision.forRequest(
            httpStatus: error.httpStatus, retryable: error.isRetryable,
            account: error.accountProblem?.kind, retryDelay: error.retryDelay,
            attempts: job.attempts, maxAttempts: config.api.maxAttempts, now: Date())
        switch decision {
        case .failNow:
            log.warning("\(facts.file): \(job.prompt) failed: \(error.message)")
            await failForGood(job, failure, facts: facts, location: location, config: config, log: log)
        case .giveUp, .retry:
            await retry(job, failure, decision, facts: facts, location: location, config: config, log: log)
        case .pause(let until):
            let reason = "paused: daily quota reached, until \(DailyQuota.format(until)); work resumes by itself then"
            _ = try? await store.requeue(job, at: until, now: Date())
            // Jobs in flight meet the same answer: the first one pauses, records and tells; the others only wait.
            guard await limiter.pause(for: .seconds(until.timeIntervalSinceNow), reason: reason) else { return }
            do {
                try await store.setPause(until: until, reason: reason)
            } catch {
                log.error("cannot record the pause: \(error)")
            }
            logger.warning("\(reason) (\(error.shortCode): \(error.message))")
        case .hold:
            _ = try? await store.requeue(job, at: Date(), now: Date())
            if let problem = error.accountProblem, let advice = error.accountAdvice {
                await holds.place(problem, advice: advice)
            }
        case .throttle(let wait):
            await limiter.throttled(retryAfter: error.retryDelay)
            _ = try? await store.requeue(job, at: Date().adding(wait), now: Date())
            log.notice("rate limited (429); slowing down and trying again in \(Backoff.describe(wait))")
        }
    }

    /// A transient failure that is not an API answer (the file unreadable, the database busy).
    func retryLater(
        _ job: Job, _ failure: JobFailure, facts: Sidecar.ImageFacts?, location: OutputLocation,
        config: Configuration, log: Logger
    ) async {
        let decision = RetryDecision.forTransient(retryDelay: nil, attempts: job.attempts, maxAttempts: config.api.maxAttempts)
        await retry(job, failure, decision, facts: facts, location: location, config: config, log: log)
    }

    /// Counts the attempt and queues the job again after the decided wait, or fails it when that was its last attempt.
    private func retry(
        _ job: Job, _ failure: JobFailure, _ decision: RetryDecision, facts: Sidecar.ImageFacts?,
        location: OutputLocation, config: Configuration, log: Logger
    ) async {
        if decision == .giveUp, let facts {
            log.error("giving up after \(job.attempts + 1) attempt(s): \(failure.message)")
            await failForGood(job, failure, facts: facts, location: location, config: config, log: log)
            return
        }
        let wait = if case .retry(let after) = decision { after } else { Backoff.delay(attempt: job.attempts + 1) }
        let state = try? await store.fail(job, error: failure, permanent: false, retryAt: Date().adding(wait), now: Date())
        if state == .failed {
            log.error("gave up after \(job.attempts + 1) attempt(s): \(failure.message)")
        } else {
            log.notice("attempt \(job.attempts + 1) failed, trying again in \(Backoff.describe(wait)): \(failure.message)")
        }
    }

    /// Fails the job for good, the reason written to the sidecar first (see ``SidecarPublisher``).
    func failForGood(
        _ job: Job, _ failure: JobFailure, facts: Sidecar.ImageFacts, location: OutputLocation,
        config: Configuration, log: Logger
    ) async {
        let store = store
        let update: @Sendable () async throws -> Bool = {
            try await store.fail(job, error: failure, permanent: true, retryAt: nil, now: Date()) == .failed
        }
        guard let prompt = config.prompts[job.prompt] else {
            _ = try? await update()
            return
        }
        let entry = PromptResult.failure(failure.message, code: failure.code, prompt: prompt, defaultModel: config.api.model)
        do {
            if try await publisher.record(
                (job.prompt, entry), facts: facts, imagePath: job.imagePath, location: location,
                prompts: config.prompts, defaultModel: config.api.model, storeUpdate: update)
            {
                await finished(job, location: location, config: config, log: log)
            }
        } catch {
            log.error("cannot record the failure: \(error)")
        }
    }

    /// After a prompt ends for good: when it was the image's last one, the image's one summary line and,
    /// with `delete_after_use`, the release of its uploads.
    private func finished(_ job: Job, location: OutputLocation, config: Configuration, log: Logger) async {
        guard let folder = config.folder(owning: job.folder) else { return }
        var ok = 0
        for name in folder.prompts {
            switch try? await store.state(of: JobKey(imagePath: job.imagePath, prompt: name)) {
            case .done?: ok += 1
            case .failed?: break
            default: return
            }
        }
        let failed = folder.prompts.count - ok
        let summary = "\(location.imageName): \(ok) of \(folder.prompts.count) prompt(s) ok -> \(location.names.sidecar)"
        if failed == 0 { log.info("\(summary)") } else { log.warning("\(summary); \(failed) failed (see the sidecar)") }
        if config.api.deleteAfterUse { _ = await runtime.files.releaseUploads(forImage: job.imagePath) }
    }
}
