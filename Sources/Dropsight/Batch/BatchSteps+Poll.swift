import Foundation
import GeminiAPI
import Store

/// Polling a batch in flight and downloading its results.
extension BatchSteps {
    /// The wait before poll number `polls + 1`: `batch_poll`, growing by a quarter each poll up to ten times it.
    static func pollWait(base: Duration, polls: Int) -> Duration {
        base * min(pow(1.25, Double(min(polls, 20))), 10)
    }

    func poll(_ batch: BatchRecord, config: Configuration) async {
        guard let name = batch.name else { return }
        let wait = Self.pollWait(base: config.api.batch.poll, polls: batch.polls + 1)
        let job: BatchJob
        do {
            job = try await runtime.client.batch(name: name)
        } catch  where error.httpStatus == 404 {
            let failure = JobFailure(code: "batch_gone", message: "batch \(name) is gone from the service (deleted)")
            await putBack(batch, failure: failure, outcome: "gone", config: config)
            return
        } catch {
            logger.warning("cannot ask about batch \(name) (\(error.message)); asking again in \(Backoff.describe(wait))")
            try? await store.batchPolled(batch.id, remoteState: batch.remoteState, nextPollAt: Date().adding(wait), now: Date())
            return
        }
        #if DEBUG
            BatchCrashHook.crashIfAsked(after: "polled")
        #endif
        switch job.state {
        case .succeeded:
            guard let file = job.responsesFile else {
                let failure = JobFailure(code: "batch_no_results", message: "batch \(name) succeeded without a results file")
                await putBack(batch, failure: failure, outcome: "no results", config: config)
                return
            }
            do {
                try await store.batchSucceeded(batch.id, resultsFile: file, remoteState: job.stateName, now: Date())
            } catch {
                logger.error("cannot record that batch \(name) succeeded: \(error)")
                return
            }
            var downloading = batch
            downloading.phase = .downloading
            downloading.resultsFile = file
            await download(downloading, config: config)
        case .failed, .cancelled, .expired:
            let state = job.state.rawValue.lowercased()
            let reason = job.error?.message.map { ": \($0)" } ?? ""
            let failure = JobFailure(code: "batch_\(state)", message: "batch \(name) ended \(job.state.rawValue)\(reason)")
            await putBack(batch, failure: failure, outcome: state, config: config)
        case .pending, .running, .unspecified:
            try? await store.batchPolled(batch.id, remoteState: job.stateName, nextPollAt: Date().adding(wait), now: Date())
        }
    }

    /// Streams the results file to disk (`.part` first, so a file at its path is whole), then publishes it.
    func download(_ batch: BatchRecord, config: Configuration) async {
        guard let file = batch.resultsFile else { return }
        let path = resultsPath(batch)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let size = try await runtime.client.downloadFile(name: file, to: path)
            logger.info("batch \(batch.name ?? batch.displayName): results downloaded (\(size) bytes)")
        } catch let error as GeminiError where error.isFileGone || error.httpStatus == 404 {
            let failure = JobFailure(
                code: "batch_results_gone", message: "the results of batch \(batch.name ?? "") are gone: \(error.message)")
            await putBack(batch, failure: failure, outcome: "results gone", config: config)
            return
        } catch {
            let wait = Self.pollWait(base: config.api.batch.poll, polls: batch.polls + 1)
            logger.warning(
                "cannot download the results of batch \(batch.name ?? batch.displayName) (\(error)); trying again in \(Backoff.describe(wait))"
            )
            try? await store.batchPolled(batch.id, remoteState: batch.remoteState, nextPollAt: Date().adding(wait), now: Date())
            return
        }
        do {
            try await store.batchDownloaded(batch.id, now: Date())
        } catch {
            logger.error("cannot record the download of batch \(batch.displayName): \(error)")
            return
        }
        #if DEBUG
            BatchCrashHook.crashIfAsked(after: "downloaded")
        #endif
        var publishing = batch
        publishing.phase = .publishing
        await publish(publishing, config: config)
    }
}
