import Foundation
import GeminiAPI
import Logging
import Store

/// Runs one queued job (one prompt on one image) and records what happened in the Store and the sidecar.
///
/// - Permanent failures (400, 403 not about a file, a blocked prompt, not an image) fail the job at once,
///   with the reason in the sidecar.
/// - Transient ones (408, 5xx, timeouts, connection errors) count an attempt and come back after an
///   exponential backoff with jitter, or after the service's own `RetryInfo` / `Retry-After` delay
///   (plus up to a fifth more, so retries do not arrive together); after `max_attempts` the job fails.
/// - A 429 slows the rate limiter and holds every request for the delay asked for; the job is put back
///   without counting an attempt (the limit, not the job, was at fault).
/// - A daily-quota 429 pauses all work until the quota resets (midnight Pacific time); the pause is
///   recorded in the Store, so `dropsight status` shows it and a restart keeps it.
public struct JobRunner: Sendable {
    let settings: SettingsHolder
    let store: Store
    let runtime: Runtime
    let limiter: RateLimiter
    let publisher: SidecarPublisher
    let subjects: SubjectCache
    let logger: Logger
    let progress: ProgressCounter

    public func run(_ job: Job) async {
        let config = settings.current
        var log = logger
        log[metadataKey: "dropsight.image"] = .string(job.imagePath)
        log[metadataKey: "dropsight.prompt"] = .string(job.prompt)
        log[metadataKey: "dropsight.job"] = .string(String(job.id))
        defer { progress.bump() }

        guard let folder = config.folders.first(where: { $0.path == job.folder }),
              let prompt = config.prompts[job.prompt], folder.prompts.contains(job.prompt) else {
            await discardUnconfigured(job, config: config, log: log)
            return
        }
        let location = OutputLocation(imagePath: job.imagePath, folderRoot: folder.path, outputDir: folder.outputDir)
        guard FileManager.default.fileExists(atPath: job.imagePath) else {
            _ = try? await store.forget(imagePath: job.imagePath)
            await subjects.forget(path: job.imagePath)
            log.notice("dropped from the queue: \(job.imagePath) was deleted or moved away before its turn")
            return
        }

        let subject: ImageSubject
        do {
            subject = try await subjects.subject(path: job.imagePath, maxPixels: config.images.maxPixels)
        } catch let rejected as ImageSubject.Rejected {
            log.warning("rejected: \(rejected.message)")
            await failForGood(job, JobFailure(code: rejected.code, message: rejected.message),
                              facts: rejected.facts, location: location, config: config, log: log)
            return
        } catch {
            await retryLater(job, JobFailure(code: "unreadable", message: "\(error)"), delay: nil, facts: nil,
                             location: location, config: config, log: log)
            return
        }

        let resolution = prompt.resolution
        let estimate = (try? await BlockingWork.run { try subject.prepared(resolution).estimatedTokens }) ?? 1000
        let permit: RateLimiter.Permit
        do {
            permit = try await limiter.acquire(tokens: estimate + prompt.text.utf8.count / 4)
        } catch {
            return // stopping: the job stays running in the Store and is queued again at the next start
        }

        let outcome: PromptRunner.Outcome
        do {
            outcome = try await runtime.runner(for: config).run(prompt, on: subject, output: location.output,
                                                                uses: folder.uses(of: prompt, in: config))
        } catch {
            if Task.isCancelled { return }
            await handleTransient(error, job: job, facts: subject.facts, location: location, config: config, log: log)
            return
        }
        // Cancelled at stop (after the grace period): record nothing; the job stays `running` in the
        // Store and runs again at the next start.
        if Task.isCancelled { return }
        if let total = outcome.usage?.totalTokenCount { await limiter.settle(permit, actualTokens: total) }
        let usage = outcome.usage.map {
            Usage(model: outcome.result.model, promptTokens: $0.promptTokenCount ?? 0, outputTokens: $0.candidatesTokenCount ?? 0,
                  thoughtsTokens: $0.thoughtsTokenCount ?? 0, totalTokens: $0.totalTokenCount ?? 0)
        }
        guard outcome.result.status == .ok else {
            let e = outcome.result.error ?? .init(message: "failed", code: "error")
            log.warning("\(subject.facts.file): \(job.prompt) failed: \(e.message)")
            if let usage { try? await store.recordUsage(usage, at: Date()) }
            await failForGood(job, JobFailure(code: e.code, message: e.message), facts: subject.facts,
                              location: location, config: config, log: log)
            return
        }
        let data: Data
        do {
            data = try JSONEncoder().encode(outcome.result)
        } catch {
            await failForGood(job, JobFailure(code: "internal", message: "the result cannot be encoded: \(error)"), facts: subject.facts,
                              location: location, config: config, log: log)
            return
        }
        let store = store
        do {
            let accepted = try await publisher.record((job.prompt, outcome.result), facts: subject.facts, imagePath: job.imagePath,
                                                      location: location, prompts: config.prompts, defaultModel: config.api.model) {
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
            await retryLater(job, JobFailure(code: "state_database", message: "\(error)"), delay: nil, facts: subject.facts,
                             location: location, config: config, log: log)
        } catch let pending as OutputsPending {
            log.warning("\(subject.facts.file): \(job.prompt) ok, but \(pending) (the result is kept; tried again until the disk takes it)")
        } catch {
            log.error("\(subject.facts.file): \(job.prompt) ok, but the sidecar cannot be written (the result is kept and written when this clears): \(error)")
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
            let failure = JobFailure(code: "not_configured", message: "prompt \(job.prompt) is no longer configured for folder \(job.folder)")
            _ = try? await store.fail(job, error: failure, permanent: true, retryAt: nil, now: Date())
            log.notice("\(failure.message); not run")
        }
    }

    private func handleTransient(_ error: GeminiError, job: Job, facts: Sidecar.ImageFacts, location: OutputLocation,
                                 config: Configuration, log: Logger) async {
        let failure = JobFailure(code: error.shortCode, message: error.message, httpStatus: error.httpStatus)
        guard error.isRetryable else {
            log.warning("\(facts.file): \(job.prompt) failed: \(error.message)")
            await failForGood(job, failure, facts: facts, location: location, config: config, log: log)
            return
        }
        guard error.httpStatus == 429 else {
            await retryLater(job, failure, delay: error.retryDelay, facts: facts, location: location, config: config, log: log)
            return
        }
        if error.isDailyQuota {
            let until = DailyQuota.nextReset(after: Date())
            let reason = "paused: daily quota reached, until \(DailyQuota.format(until))"
            await limiter.pause(for: .seconds(until.timeIntervalSinceNow), reason: reason)
            do {
                try await store.setPause(until: until, reason: reason + " (\(error.message))")
            } catch {
                log.error("cannot record the pause: \(error)")
            }
            _ = try? await store.requeue(job, at: until, now: Date())
            log.warning("\(reason) (\(error.message))")
            return
        }
        await limiter.throttled(retryAfter: error.retryDelay)
        let wait = Backoff.honouring(error.retryDelay, attempt: job.attempts + 1)
        _ = try? await store.requeue(job, at: Date().adding(wait), now: Date())
        log.notice("rate limited (429); slowing down and trying again in \(Backoff.describe(wait))")
    }

    private func retryLater(_ job: Job, _ failure: JobFailure, delay: Duration?, facts: Sidecar.ImageFacts?, location: OutputLocation,
                            config: Configuration, log: Logger) async {
        let wait = Backoff.honouring(delay, attempt: job.attempts + 1)
        if job.attempts + 1 >= config.api.maxAttempts, let facts {
            log.error("giving up after \(job.attempts + 1) attempt(s): \(failure.message)")
            await failForGood(job, failure, facts: facts, location: location, config: config, log: log)
            return
        }
        let state = try? await store.fail(job, error: failure, permanent: false, retryAt: Date().adding(wait), now: Date())
        if state == .failed {
            log.error("gave up after \(job.attempts + 1) attempt(s): \(failure.message)")
        } else {
            log.notice("attempt \(job.attempts + 1) failed, trying again in \(Backoff.describe(wait)): \(failure.message)")
        }
    }

    /// Fails the job for good, the reason written to the sidecar first (see ``SidecarPublisher``).
    private func failForGood(_ job: Job, _ failure: JobFailure, facts: Sidecar.ImageFacts, location: OutputLocation,
                             config: Configuration, log: Logger) async {
        let store = store
        let update: @Sendable () async throws -> Bool = {
            try await store.fail(job, error: failure, permanent: true, retryAt: nil, now: Date()) == .failed
        }
        guard let prompt = config.prompts[job.prompt] else {
            _ = try? await update()
            return
        }
        let entry = SidecarPublisher.failureResult(failure, prompt: prompt, defaultModel: config.api.model)
        do {
            if try await publisher.record((job.prompt, entry), facts: facts, imagePath: job.imagePath, location: location,
                                          prompts: config.prompts, defaultModel: config.api.model, storeUpdate: update) {
                await finished(job, location: location, config: config, log: log)
            }
        } catch {
            log.error("cannot record the failure: \(error)")
        }
    }

    /// After a prompt ends for good: when it was the image's last one, the image's one summary line and,
    /// with `delete_after_use`, the release of its uploads.
    private func finished(_ job: Job, location: OutputLocation, config: Configuration, log: Logger) async {
        guard let folder = config.folders.first(where: { $0.path == job.folder }) else { return }
        var ok = 0
        for name in folder.prompts {
            switch try? await store.state(of: JobKey(imagePath: job.imagePath, prompt: name)) {
            case .done?: ok += 1
            case .failed?: break
            default: return
            }
        }
        let failed = folder.prompts.count - ok
        let summary = "\(location.imageName): \(ok) of \(folder.prompts.count) prompt(s) ok -> \(location.sidecarName)"
        if failed == 0 { log.info("\(summary)") } else { log.warning("\(summary); \(failed) failed (see the sidecar)") }
        if config.api.deleteAfterUse { _ = await runtime.files.releaseUploads(forImage: job.imagePath) }
    }
}

extension Backoff {
    /// The service's own delay plus up to a fifth more (jitter), or the exponential backoff when it gave none.
    static func honouring(_ retryDelay: Duration?, attempt: Int) -> Duration {
        guard let retryDelay, retryDelay > .zero else { return delay(attempt: attempt) }
        return retryDelay * Double.random(in: 1.0...1.2)
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// Gemini's per-day quotas reset at midnight Pacific time.
enum DailyQuota {
    static func nextReset(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: date)
        return calendar.date(byAdding: .day, value: 1, to: start) ?? date.addingTimeInterval(86400)
    }

    /// `2026-11-26 08:00 UTC`, as the status line, the journal and `dropsight files list` show times.
    static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }
}
