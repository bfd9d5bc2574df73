import Foundation

/// The batches created since start (kept in memory only), their timing, and the tasks
/// computing their results.
actor BatchStore {
    private let clock: EmulatorClock
    private let files: FileStore
    private(set) var timing: BatchTiming
    private var batches: [String: BatchRecord] = [:]
    private var runners: [String: Task<Void, Never>] = [:]
    /// Results files being stored right now, by batch id.
    private var storing: [String: Task<Void, Never>] = [:]

    /// The MIME type of results files (emulator choice; the service's is not captured).
    static let resultsMimeType = "application/jsonl"

    init(clock: EmulatorClock, files: FileStore, timing: BatchTiming) {
        self.clock = clock
        self.files = files
        self.timing = timing
    }

    func setTiming(_ timing: BatchTiming) {
        self.timing = timing
    }

    /// Keeps `batch`, then starts `runner`, which computes its results.
    func add(_ batch: BatchRecord, runner: @escaping @Sendable () async -> Void) {
        batches[batch.id] = batch
        runners[batch.id] = Task.detached { await runner() }
    }

    /// The batch as it is now; on reaching SUCCEEDED a file batch's results file is stored
    /// (once: concurrent readers wait for the same store).
    func batch(_ id: String) async -> BatchRecord? {
        guard let batch = batches[id] else { return nil }
        if batch.responsesFile == nil, batch.state(at: clock.now, timing: timing) == .succeeded,
            let path = batch.results?.scratchPath
        {
            let task = storing[id] ?? Task { await storeResults(of: id, from: path, displayName: batch.displayName) }
            storing[id] = task
            await task.value
            storing[id] = nil
        }
        return batches[id]
    }

    /// Moves the results at `path` into the file store as `files/batch-<id>`; the batch FAILS if
    /// that is impossible.
    private func storeResults(of id: String, from path: String, displayName: String) async {
        let fileID = "batch-\(id)"
        var failure: StoreError?
        do {
            _ = try await files.adoptGenerated(path: path, id: fileID, displayName: displayName, mimeType: Self.resultsMimeType)
        } catch {
            failure = error
        }
        guard var batch = batches[id] else { return }
        if let failure {
            batch.ended = (.failed, clock.now, "The results file could not be stored: \(failure.message)")
        } else {
            batch.responsesFile = "files/\(fileID)"
        }
        batch.results?.scratchPath = nil
        batches[id] = batch
    }

    /// Batches newest first, a page at a time; the token is the last id of the previous page.
    func list(pageSize: Int, after token: String?) async -> (batches: [BatchRecord], nextToken: String?) {
        let ordered = batches.values.sorted {
            $0.createTime != $1.createTime ? $0.createTime > $1.createTime : $0.id < $1.id
        }
        var start = 0
        if let token, let index = ordered.firstIndex(where: { $0.id == token }) { start = index + 1 }
        let ids = ordered.dropFirst(start).prefix(pageSize).map(\.id)
        var page: [BatchRecord] = []
        for id in ids {
            if let batch = await batch(id) { page.append(batch) }
        }
        let next = start + page.count < ordered.count ? page.last?.id : nil
        return (page, next)
    }

    /// Every batch, oldest first, for the admin endpoint.
    func all() -> [BatchRecord] {
        batches.values.sorted { $0.createTime < $1.createTime }
    }

    /// Records the computed results, unless the batch ended or went away meanwhile.
    func finish(_ id: String, results: BatchResults) {
        guard var batch = batches[id], batch.ended == nil else {
            if let path = results.scratchPath { try? FileManager.default.removeItem(atPath: path) }
            return
        }
        batch.results = results
        batches[id] = batch
        runners[id] = nil
    }

    /// Whether the batch still wants its results computed.
    func wantsResults(_ id: String) -> Bool {
        guard let batch = batches[id] else { return false }
        return batch.ended == nil
    }

    /// Ends a batch that is not done yet in `state` (CANCELLED, FAILED, EXPIRED); nil when there
    /// is no such batch, false when it was already done.
    func end(_ id: String, as state: BatchState, message: String? = nil) async -> Bool? {
        guard await batch(id) != nil, var batch = batches[id] else { return nil }
        guard !batch.state(at: clock.now, timing: timing).isDone else { return false }
        batch.ended = (state, clock.now, message)
        if let path = batch.results?.scratchPath { try? FileManager.default.removeItem(atPath: path) }
        batch.results = nil
        batches[id] = batch
        runners.removeValue(forKey: id)?.cancel()
        return true
    }

    /// Cancels the tasks still computing results and waits for them (the emulator is stopping).
    func stopRunners() async {
        let running = runners
        runners = [:]
        for runner in running.values {
            runner.cancel()
            await runner.value
        }
    }

    /// Forgets a batch (its results file stays, like any file); false when there is none.
    func delete(_ id: String) -> Bool {
        guard let batch = batches.removeValue(forKey: id) else { return false }
        if let path = batch.results?.scratchPath { try? FileManager.default.removeItem(atPath: path) }
        runners.removeValue(forKey: id)?.cancel()
        return true
    }
}
