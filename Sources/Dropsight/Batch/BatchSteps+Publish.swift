import Foundation
import GeminiAPI
import Logging
import Store

/// Mapping a downloaded results file back to its jobs and finishing each through the same interpretation,
/// overlays and sidecar publishing as an interactive answer.
///
/// Each line is looked up by its `key` (the job's id) among the batch's live members, so a line is applied at
/// most once however often publishing restarts: a job already finished (or changed, reprocessed, forgotten
/// meanwhile) is no longer a live member and its line is skipped. A line that cannot be read is reported and
/// skipped; jobs left without an answer count an attempt and are queued again.
extension BatchSteps {
    func publish(_ batch: BatchRecord, config: Configuration) async {
        let path = resultsPath(batch)
        guard FileManager.default.fileExists(atPath: path), let file = batch.resultsFile else {
            // The download is gone (removed by hand): fetch it again.
            try? await store.batchSucceeded(batch.id, resultsFile: batch.resultsFile ?? "", remoteState: batch.remoteState, now: Date())
            return
        }
        let lines: LineSource
        do {
            lines = try LineSource(path: path)
        } catch {
            logger.error("cannot read the results of batch \(batch.displayName): \(error)")
            return
        }
        let runner = runtime.batchRunner(for: config)
        var answered = 0
        while !isStopping {
            let chunk: [(number: Int, line: Data)]
            do {
                chunk = try await BlockingWork.run { try lines.next(upTo: 64) }
            } catch {
                logger.error("the results of batch \(batch.name ?? batch.displayName) cannot be read further: \(error)")
                break
            }
            if chunk.isEmpty { break }
            for (number, line) in chunk where !isStopping {
                if await apply(line, number: number, path: path, batch: batch, runner: runner, config: config) {
                    answered += 1
                    #if DEBUG
                        BatchCrashHook.crashIfAsked(after: "answered")
                    #endif
                }
            }
        }
        if isStopping { return }  // publishing resumes at the next start, skipping what is done
        let missing = (try? await store.batchMembers(batch.id)) ?? []
        if !missing.isEmpty {
            let failure = JobFailure(code: "batch_no_answer", message: "batch \(batch.name ?? "") returned no answer for this request")
            await putBack(batch, failure: failure, outcome: "succeeded", config: config)
        } else {
            await end(batch, outcome: "succeeded")
        }
        try? await runtime.client.deleteFile(name: file)
        #if DEBUG
            BatchCrashHook.crashIfAsked(after: "published")
        #endif
        logger.info("batch \(batch.name ?? batch.displayName) done: \(answered) answer(s) published")
    }

    /// Applies one result line; true when it finished a job of this batch.
    private func apply(
        _ data: Data, number: Int, path: String, batch: BatchRecord, runner: PromptRunner, config: Configuration
    ) async -> Bool {
        let line: BatchResultLine
        do {
            line = try BatchResultLine.decode(data, path: path, number: number)
        } catch {
            logger.error("\(error); the line is skipped")
            return false
        }
        guard let key = line.key, let id = Int64(key) else {
            logger.error(
                "\(path) line \(number): key \(line.key.map { "\"\($0)\"" } ?? "missing") is not a job of this batch; the line is skipped")
            return false
        }
        let member: (job: Job, sent: Data?)?
        do {
            member = try await store.batchMember(batch.id, job: id)
        } catch {
            logger.error("cannot look up job \(id) of batch \(batch.displayName): \(error)")
            return false
        }
        guard let member else {
            logger.debug("\(path) line \(number): job \(id) is no longer carried by this batch (done, changed or removed); skipped")
            return false
        }
        guard let context = await jobs.context(for: member.job, config: config) else { return true }
        guard let sent = member.sent, let facts = try? JSONDecoder().decode(PromptRunner.RequestFacts.self, from: sent) else {
            let failure = JobFailure(code: "batch_state", message: "what batch \(batch.displayName) sent for this job was not recorded")
            await jobs.retryLater(
                member.job, failure, facts: context.subject.facts, location: context.location, config: config, log: context.log)
            return false
        }
        if let response = line.response {
            var outcome = await runner.answer(
                response, facts: facts, prompt: context.prompt, on: context.subject, output: context.location.output)
            outcome.result.transport = "batch"
            outcome.result.batch = batch.name
            await jobs.conclude(member.job, outcome, context: context, config: config)
        } else {
            let status = line.error
            let error = GeminiError(
                code: .http, httpStatus: status?.code, status: status?.status,
                message: status?.message ?? "the batch answered this request with neither a response nor an error")
            if error.isFileGone {
                // A photo's upload was deleted or expired before the batch read it: upload again in a later batch.
                for name in facts.files ?? [] { await runtime.files.markGone(name: name) }
                let failure = JobFailure(code: error.shortCode, message: error.message, httpStatus: error.httpStatus)
                await jobs.retryLater(
                    member.job, failure, facts: context.subject.facts, location: context.location, config: config, log: context.log)
            } else {
                await jobs.handleRequestFailure(error, job: member.job, context: context, config: config)
            }
        }
        return true
    }
}
