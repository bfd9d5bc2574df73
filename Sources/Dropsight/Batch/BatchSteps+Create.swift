import Foundation
import GeminiAPI
import Store

/// Creating a batch exactly once. Create is not idempotent and its answer can be lost (a crash, a cut
/// connection), so a batch recorded `creating` is first looked for by its display name (`batches.list`): found,
/// it is adopted; created only when the list surely lacks it; when that cannot be told, asked again later.
extension BatchSteps {
    /// What `batches.list` says of a display name.
    enum Lookup {
        case found(BatchJob)
        case absent
        case unknown(GeminiError)
    }

    func create(_ batch: BatchRecord, config: Configuration) async {
        guard let input = batch.inputFile else { return }
        switch await lookUp(batch.displayName) {
        case .found(let existing):
            logger.notice("batch \(batch.displayName) was created before its answer was lost: adopted as \(existing.name)")
            await recordCreated(batch, existing, config: config)
        case .unknown(let error):
            logger.warning("cannot tell whether batch \(batch.displayName) exists (\(error.message)); asking again later")
            try? await store.batchPolled(batch.id, remoteState: nil, nextPollAt: Date().adding(config.api.batch.poll), now: Date())
        case .absent:
            do {
                let created = try await runtime.client.createBatch(model: batch.model, displayName: batch.displayName, inputFile: input)
                #if DEBUG
                    BatchCrashHook.crashIfAsked(after: "sent")
                #endif
                await recordCreated(batch, created, config: config)
            } catch  where Self.surelyNotCreated(error) {
                await refused(batch, error, config: config)
            } catch {
                logger.warning(
                    "the answer to creating batch \(batch.displayName) was lost (\(error.message)); it is looked up by name before anything is sent again"
                )
            }
        }
    }

    /// An answer that says no batch was made: a 4xx other than 408 and 429.
    static func surelyNotCreated(_ error: GeminiError) -> Bool {
        guard error.code == .http, let status = error.httpStatus else { return false }
        return (400..<500).contains(status) && status != 408 && status != 429
    }

    private func recordCreated(_ batch: BatchRecord, _ job: BatchJob, config: Configuration) async {
        do {
            try await store.batchCreated(
                batch.id, name: job.name, remoteState: job.stateName, nextPollAt: Date().adding(config.api.batch.poll), now: Date())
        } catch {
            logger.error("cannot record that batch \(batch.displayName) is \(job.name): \(error) (found again by name later)")
            return
        }
        logger.info("batch \(job.name) (\(batch.displayName)) created with \(batch.requests) request(s)")
        #if DEBUG
            BatchCrashHook.crashIfAsked(after: "created")
        #endif
    }

    /// The service refused the batch: an account-level answer holds (the jobs wait, no attempt spent); any other
    /// counts an attempt for each job.
    private func refused(_ batch: BatchRecord, _ error: GeminiError, config: Configuration) async {
        if let problem = error.accountProblem, let advice = error.accountAdvice {
            await jobs.holds.place(problem, advice: advice)
            await end(batch, outcome: "refused")
            logger.warning("batch \(batch.displayName) refused (\(error.message)); its jobs wait in the queue")
            return
        }
        let failure = JobFailure(code: error.shortCode, message: "the batch was refused: \(error.message)", httpStatus: error.httpStatus)
        await putBack(batch, failure: failure, outcome: "refused", config: config)
    }

    /// Every page of `batches.list`, looking for `displayName`.
    func lookUp(_ displayName: String) async -> Lookup {
        var token: String?
        do {
            repeat {
                let page = try await runtime.client.listBatches(pageToken: token)
                if let match = page.operations?.first(where: { $0.displayName == displayName }) { return .found(match) }
                token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
            } while token != nil
        } catch {
            return .unknown(error)
        }
        return .absent
    }
}
