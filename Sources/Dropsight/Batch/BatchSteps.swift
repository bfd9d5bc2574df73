import Foundation
import GeminiAPI
import Logging
import Store

/// The steps of a batch, each recorded in the Store before and after it happens: prepare and submit, create (or
/// find again one whose create answer was lost), poll, download, publish; and putting its jobs back when the
/// batch fails. The JSONL input and the results file are kept in `<state dir>/batches` until the batch ends.
struct BatchSteps: Sendable {
    let store: Store
    let runtime: Runtime
    let jobs: JobRunner
    /// The service's stop flag: preparing and publishing stop between two jobs once it is set.
    let stopping: StopFlag
    let logger: Logger

    /// True once the daemon stops (gracefully or cancelled).
    var isStopping: Bool { stopping.isSet || Task.isCancelled }

    var directory: String { runtime.configuration.state.dir + "/batches" }
    func inputPath(_ batch: BatchRecord) -> String { directory + "/" + batch.displayName + ".jsonl" }
    func resultsPath(_ batch: BatchRecord) -> String { directory + "/" + batch.displayName + ".results.jsonl" }

    /// The next step of a batch in flight.
    func advance(_ batch: BatchRecord, config: Configuration) async {
        switch batch.phase {
        case .preparing, .ended: return  // a batch being prepared belongs to the look that formed it
        case .creating: await create(batch, config: config)
        case .running: await poll(batch, config: config)
        case .downloading: await download(batch, config: config)
        case .publishing: await publish(batch, config: config)
        }
    }

    /// Prepares every job of a batch just begun exactly as for an interactive request (its photos uploaded through
    /// the Files API), writes the JSONL (one line per job, `key` = the job's id), uploads it and creates the batch.
    ///
    /// A photo that cannot be sent fails its job here, as interactively; jobs past `batch_max_bytes` go back to the
    /// queue. Returns false when no batch was submitted (none of its jobs could be sent, or its jobs are back in
    /// the queue).
    func submit(_ batch: BatchRecord, jobs members: [Job], config: Configuration) async -> Bool {
        let path = inputPath(batch)
        let written: BatchInput
        do {
            written = try await writeInput(batch, members: members, to: path, config: config)
        } catch {
            logger.error("cannot write the input of batch \(batch.displayName) at \(path): \(error); its jobs are queued again")
            try? await store.endBatch(batch.id, outcome: "not written", now: Date())
            removeLocalFiles(of: batch)
            return false
        }
        if isStopping {
            // A clean stop ends the batch it was preparing (its jobs queued again, no attempt counted): a batch the
            // next start finds `preparing` was cut short by an abnormal end (see `Store.recoverAfterAbnormalEnd`).
            try? await store.endBatch(batch.id, outcome: "stopped", now: Date())
            removeLocalFiles(of: batch)
            return false
        }
        if !written.leftOver.isEmpty {
            _ = try? await store.releaseFromBatch(batch.id, jobs: written.leftOver, now: Date())
            logger.info("batch \(batch.displayName): \(written.leftOver.count) job(s) wait for the next batch (batch_max_bytes)")
        }
        guard written.lines > 0 else {
            try? await store.endBatch(batch.id, outcome: "empty", now: Date())
            removeLocalFiles(of: batch)
            return false
        }
        let input: FileCache.Uploaded
        do {
            // "jsonl", as Google's batch guide uploads it (the service keeps whatever type the client declares).
            input = try await runtime.files.file(FileCache.local(path: path, mimeType: "jsonl"))
        } catch {
            let failure = JobFailure(code: "batch_upload", message: "the batch input could not be uploaded: \(error)")
            await putBack(batch, failure: failure, outcome: "upload failed", config: config)
            return false
        }
        do {
            try await store.batchPrepared(batch.id, inputFile: input.name, requests: written.lines, bytes: written.bytes, now: Date())
        } catch {
            logger.error("cannot record the input of batch \(batch.displayName): \(error)")
            return false
        }
        #if DEBUG
            BatchCrashHook.crashIfAsked(after: "uploaded")
        #endif
        var creating = batch
        creating.phase = .creating
        creating.inputFile = input.name
        creating.requests = written.lines
        await create(creating, config: config)
        return true
    }

    /// What ``writeInput(_:members:to:config:)`` wrote.
    struct BatchInput {
        var lines = 0
        var bytes: Int64 = 0
        /// Jobs that did not fit under `batch_max_bytes`.
        var leftOver: [Job] = []
    }

    /// Writes the JSONL input, one request per job, keeping each job's request facts for its answer.
    private func writeInput(_ batch: BatchRecord, members: [Job], to path: String, config: Configuration) async throws -> BatchInput {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? handle.close() }
        let runner = runtime.batchRunner(for: config)
        var input = BatchInput()
        for job in members {
            if isStopping { break }
            if input.bytes >= Int64(config.api.batch.maxBytes) {
                input.leftOver.append(job)
                continue
            }
            guard let context = await jobs.context(for: job, config: config) else { continue }
            #if DEBUG
                TestCrashHook.crashIfAsked(imagePath: job.imagePath)
            #endif
            let prepared: PromptRunner.Prepared
            do {
                let uses = context.folder.uses(of: context.prompt, in: config)
                switch try await runner.prepare(context.prompt, on: context.subject, uses: uses) {
                case .success(let built): prepared = built
                case .failure(let rejection):
                    await jobs.failForGood(
                        job, JobFailure(code: rejection.code, message: rejection.message), facts: context.subject.facts,
                        location: context.location, config: config, log: context.log)
                    continue
                }
            } catch {
                await jobs.handleRequestFailure(error, job: job, context: context, config: config)
                continue
            }
            var line = try JSONEncoder().encode(BatchInputLine(key: String(job.id), request: prepared.request))
            line.append(0x0A)
            if input.bytes + Int64(line.count) > Int64(config.api.batch.maxBytes) {
                input.leftOver.append(job)
                continue
            }
            try handle.write(contentsOf: line)
            try await store.setBatchSent(batch: batch.id, job: job.id, sent: JSONEncoder().encode(prepared.facts))
            input.lines += 1
            input.bytes += Int64(line.count)
        }
        try handle.synchronize()
        return input
    }

    /// Counts an attempt for every job still carried by the batch (each queued again after its backoff, or
    /// failed for good at its last attempt), then ends the batch with `outcome`.
    func putBack(_ batch: BatchRecord, failure: JobFailure, outcome: String, config: Configuration) async {
        let members = (try? await store.batchMembers(batch.id)) ?? []
        for job in members {
            guard let context = await jobs.context(for: job, config: config) else { continue }
            await jobs.retryLater(
                job, failure, facts: context.subject.facts, location: context.location, config: config, log: context.log)
        }
        await end(batch, outcome: outcome)
        logger.warning("batch \(batch.name ?? batch.displayName) \(outcome): \(members.count) job(s) queued again (\(failure.message))")
    }

    /// Records the end of a batch and removes what it left behind: local files, and its input on the service.
    func end(_ batch: BatchRecord, outcome: String) async {
        do {
            try await store.endBatch(batch.id, outcome: outcome, now: Date())
        } catch {
            logger.error("cannot record the end of batch \(batch.displayName): \(error)")
            return
        }
        removeLocalFiles(of: batch)
        if let input = batch.inputFile { try? await runtime.files.delete(name: input) }
    }

    func removeLocalFiles(of batch: BatchRecord) {
        for path in [inputPath(batch), resultsPath(batch), resultsPath(batch) + ".part"] { unlink(path) }
    }
}
