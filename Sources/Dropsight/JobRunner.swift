import Foundation
import GeminiAPI
import Logging
import Store

/// Runs one queued job (one prompt on one image) and records what happened in the Store and the sidecar.
///
/// Permanent failures fail the job at once with the reason in the sidecar; transient ones are scheduled
/// again with backoff (or the service's own retry delay) until `max_attempts`.
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

        guard let prompt = config.prompts[job.prompt],
              let folder = config.folders.first(where: { $0.path == job.folder }), folder.prompts.contains(job.prompt) else {
            _ = try? await store.drop(imagePath: job.imagePath)
            log.notice("dropped from the queue: prompt \(job.prompt) is no longer configured for \(job.folder)")
            return
        }
        let location = OutputLocation(imagePath: job.imagePath, folderRoot: folder.path, outputDir: folder.outputDir)
        guard FileManager.default.fileExists(atPath: job.imagePath) else {
            let n = (try? await store.drop(imagePath: job.imagePath)) ?? 0
            log.notice("dropped from the queue: \(job.imagePath) was deleted or moved away before its turn (\(n) job(s))")
            return
        }

        let subject: ImageSubject
        do {
            subject = try await subjects.subject(path: job.imagePath, maxPixels: config.images.maxPixels)
        } catch let rejected as ImageSubject.Rejected {
            await finish(job, failure: JobFailure(code: rejected.code, message: rejected.message), permanent: true,
                         facts: rejected.facts, location: location, config: config, log: log)
            log.warning("rejected: \(rejected.message)")
            return
        } catch {
            await retryLater(job, failure: JobFailure(code: "unreadable", message: "\(error)"), delay: nil, facts: nil,
                             location: location, config: config, log: log)
            return
        }

        let resolution = prompt.resolution
        let estimate = (try? await BlockingWork.run { try subject.prepared(resolution).estimatedTokens }) ?? 1000
        let permit: RateLimiter.Permit
        do { permit = try await limiter.acquire(tokens: estimate + prompt.text.utf8.count / 4) } catch { return }

        do {
            let outcome = try await runtime.runner(for: config).run(prompt, on: subject, output: location.output,
                                                                    uses: folder.uses(of: prompt, in: config))
            if let total = outcome.usage?.totalTokenCount { await limiter.settle(permit, actualTokens: total) }
            let usage = outcome.usage.map {
                Usage(model: outcome.result.model, promptTokens: $0.promptTokenCount ?? 0, outputTokens: $0.candidatesTokenCount ?? 0,
                      thoughtsTokens: $0.thoughtsTokenCount ?? 0, totalTokens: $0.totalTokenCount ?? 0)
            }
            if outcome.result.status == .ok {
                let data = try JSONEncoder().encode(outcome.result)
                _ = try await store.complete(job, result: data, usage: usage, now: Date())
                try await publisher.publish(facts: subject.facts, imagePath: job.imagePath, location: location,
                                            prompts: config.prompts, defaultModel: config.api.model)
                log.info("\(subject.facts.file): \(job.prompt) ok (\(outcome.result.usage?.totalTokens ?? 0) tokens)")
            } else {
                let e = outcome.result.error ?? .init(message: "failed", code: "error")
                await finish(job, failure: JobFailure(code: e.code, message: e.message), permanent: true,
                             facts: subject.facts, location: location, config: config, log: log)
                log.warning("\(subject.facts.file): \(job.prompt) failed: \(e.message)")
            }
        } catch let error as GeminiError {
            await handleTransient(error, job: job, facts: subject.facts, location: location, config: config, log: log)
        } catch {
            await retryLater(job, failure: JobFailure(code: "internal", message: "\(error)"), delay: nil, facts: subject.facts,
                             location: location, config: config, log: log)
        }
    }

    private func handleTransient(_ error: GeminiError, job: Job, facts: Sidecar.ImageFacts, location: OutputLocation,
                                 config: Configuration, log: Logger) async {
        if error.httpStatus == 429 {
            if error.isDailyQuota {
                let until = DailyQuota.nextReset(after: Date())
                let reason = "paused: daily quota until \(DailyQuota.format(until))"
                await limiter.pause(for: .seconds(until.timeIntervalSinceNow), reason: reason)
                _ = try? await store.requeue(job, at: until, now: Date())
                log.warning("\(reason) (\(error.message))")
                return
            }
            await limiter.throttled(retryAfter: error.retryDelay)
        }
        let failure = JobFailure(code: error.shortCode, message: error.message, httpStatus: error.httpStatus)
        await retryLater(job, failure: failure, delay: error.retryDelay, facts: facts, location: location, config: config, log: log)
    }

    private func retryLater(_ job: Job, failure: JobFailure, delay: Duration?, facts: Sidecar.ImageFacts?, location: OutputLocation,
                            config: Configuration, log: Logger) async {
        let wait = delay ?? Backoff.delay(attempt: job.attempts + 1)
        let retryAt = Date().addingTimeInterval(Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
        let permanent = job.attempts + 1 >= config.api.maxAttempts
        let state = try? await store.fail(job, error: failure, permanent: permanent, retryAt: retryAt, now: Date())
        if state == .failed {
            log.error("gave up after \(job.attempts + 1) attempts: \(failure.message)")
            if let facts {
                try? await publisher.publish(facts: facts, imagePath: job.imagePath, location: location,
                                             prompts: config.prompts, defaultModel: config.api.model)
            }
        } else {
            log.notice("will retry in \(wait): \(failure.message)")
        }
    }

    private func finish(_ job: Job, failure: JobFailure, permanent: Bool, facts: Sidecar.ImageFacts, location: OutputLocation,
                        config: Configuration, log: Logger) async {
        _ = try? await store.fail(job, error: failure, permanent: permanent, retryAt: nil, now: Date())
        do {
            try await publisher.publish(facts: facts, imagePath: job.imagePath, location: location,
                                        prompts: config.prompts, defaultModel: config.api.model)
        } catch {
            log.error("cannot write the sidecar: \(error)")
        }
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

    static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "HH:mm 'UTC'"
        return f.string(from: date)
    }
}
