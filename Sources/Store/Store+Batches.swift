import Foundation
import GRDB

/// Batch API submissions: each step is recorded before and after it happens, so a restart at any point
/// knows what was done. A job carried by a batch is `running` and a live member of it (same lease, batch not
/// ended): the interactive queue never claims it, and a clean stop or crash recovery leaves it to its batch.
extension Store {
    /// The condition (on `jobs`) of a job not carried by a batch that has not ended.
    static let notInLiveBatch = """
        id NOT IN (SELECT m.job_id FROM batch_members m JOIN batches b ON b.id = m.batch_id
            WHERE b.phase != 'ended' AND m.lease = jobs.lease)
        """

    /// How many pending jobs due by `now` there are of `folders` and `prompts`, and when the newest was queued.
    public func batchable(folders: [String], prompts: [String], now: Date) async throws -> (count: Int, newest: Date?) {
        guard !folders.isEmpty, !prompts.isEmpty else { return (0, nil) }
        let t = now.storeSeconds
        return try await read("batchable") { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), MAX(queued_at) FROM jobs WHERE state = 'pending' AND next_attempt_at <= ?
                    AND folder IN (\(Self.placeholders(folders.count))) AND prompt IN (\(Self.placeholders(prompts.count)))
                    """, arguments: [t] + StatementArguments(folders) + StatementArguments(prompts))
            let newest: Double? = row?[1]
            return (row?[0] ?? 0, newest.map(Date.init(storeSeconds:)))
        }
    }

    /// Records a new batch (phase `preparing`) and claims for it up to `limit` pending jobs due by `now` of
    /// `folders` and `prompts`, oldest first, in one transaction; nil (nothing recorded) when none is due.
    public func beginBatch(
        displayName: String, model: String, folders: [String], prompts: [String], limit: Int, now: Date
    ) async throws -> (BatchRecord, [Job])? {
        guard !folders.isEmpty, !prompts.isEmpty, limit > 0 else { return nil }
        let t = now.storeSeconds
        return try await write("beginBatch") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM jobs WHERE state = 'pending' AND next_attempt_at <= ?
                    AND folder IN (\(Self.placeholders(folders.count))) AND prompt IN (\(Self.placeholders(prompts.count)))
                    ORDER BY queued_at, id LIMIT ?
                    """, arguments: [t] + StatementArguments(folders) + StatementArguments(prompts) + [limit])
            guard !rows.isEmpty else { return nil }
            try db.execute(
                sql: """
                    INSERT INTO batches (display_name, model, phase, created_at, updated_at) VALUES (?, ?, 'preparing', ?, ?)
                    """, arguments: [displayName, model, t, t])
            let id = db.lastInsertedRowID
            var jobs: [Job] = []
            for row in rows {
                var job = Job(row: row)
                job.lease += 1
                try db.execute(
                    sql: "UPDATE jobs SET state = 'running', lease = ?, updated_at = ? WHERE id = ?",
                    arguments: [job.lease, t, job.id])
                try db.execute(
                    sql: "INSERT INTO batch_members (batch_id, job_id, lease) VALUES (?, ?, ?)",
                    arguments: [id, job.id, job.lease])
                jobs.append(job)
            }
            return (try Self.batch(id: id, in: db)!, jobs)
        }
    }

    /// Keeps what a member's request sent (its sidecar's `sent` and `thinking`), for when its answer comes.
    public func setBatchSent(batch id: Int64, job: Int64, sent: Data) async throws {
        try await write("setBatchSent") { db in
            try db.execute(
                sql: "UPDATE batch_members SET sent = ? WHERE batch_id = ? AND job_id = ?", arguments: [sent, id, job])
        }
    }

    /// The live members of a batch: jobs still `running` under the lease the batch claimed them with.
    public func batchMembers(_ id: Int64) async throws -> [Job] {
        try await read("batchMembers") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT j.* FROM batch_members m JOIN jobs j ON j.id = m.job_id AND j.lease = m.lease
                    WHERE m.batch_id = ? AND j.state = 'running' ORDER BY j.id
                    """, arguments: [id]
            ).map(Job.init(row:))
        }
    }

    /// One live member of a batch by job id, with what its request sent; nil when the job is not (or no longer)
    /// carried by this batch: finished already, changed, reprocessed or forgotten meanwhile.
    public func batchMember(_ id: Int64, job: Int64) async throws -> (job: Job, sent: Data?)? {
        try await read("batchMember") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT j.*, m.sent AS batch_sent FROM batch_members m JOIN jobs j ON j.id = m.job_id AND j.lease = m.lease
                        WHERE m.batch_id = ? AND m.job_id = ? AND j.state = 'running'
                        """, arguments: [id, job])
            else { return nil }
            return (Job(row: row), row["batch_sent"])
        }
    }

    /// Puts the live members of a batch in `jobs` back in the queue, due now, without counting an attempt (jobs
    /// left out of a batch before it was created); returns how many.
    @discardableResult
    public func releaseFromBatch(_ id: Int64, jobs: [Job], now: Date) async throws -> Int {
        let t = now.storeSeconds
        return try await write("releaseFromBatch") { db in
            var released = 0
            for job in jobs {
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'pending', lease = lease + 1, next_attempt_at = ?, updated_at = ?
                        WHERE id = ? AND lease = ? AND state = 'running'
                        """, arguments: [t, t, job.id, job.lease])
                released += db.changesCount
                try db.execute(sql: "DELETE FROM batch_members WHERE batch_id = ? AND job_id = ?", arguments: [id, job.id])
            }
            return released
        }
    }

    /// The JSONL of a batch is written and uploaded: the next step is the create call (phase `creating`).
    public func batchPrepared(_ id: Int64, inputFile: String, requests: Int, bytes: Int64, now: Date) async throws {
        try await updateBatch(
            id, "batchPrepared", "phase = 'creating', input_file = ?, requests = ?, bytes = ?",
            [inputFile, requests, bytes], now: now)
    }

    /// The service knows the batch as `name` (created, or found again by its display name): phase `running`.
    public func batchCreated(_ id: Int64, name: String, remoteState: String?, nextPollAt: Date, now: Date) async throws {
        try await updateBatch(
            id, "batchCreated", "phase = 'running', name = ?, remote_state = ?, next_poll_at = ?",
            [name, remoteState, nextPollAt.storeSeconds], now: now)
    }

    /// A poll saw `remoteState`; the next one is due at `nextPollAt`.
    public func batchPolled(_ id: Int64, remoteState: String?, nextPollAt: Date, now: Date) async throws {
        try await updateBatch(
            id, "batchPolled", "remote_state = ?, next_poll_at = ?, polls = polls + 1",
            [remoteState, nextPollAt.storeSeconds], now: now)
    }

    /// The batch succeeded with its results in `resultsFile`: phase `downloading`.
    public func batchSucceeded(_ id: Int64, resultsFile: String, remoteState: String?, now: Date) async throws {
        try await updateBatch(
            id, "batchSucceeded", "phase = 'downloading', results_file = ?, remote_state = ?", [resultsFile, remoteState],
            now: now)
    }

    /// The results file is on disk: phase `publishing`.
    public func batchDownloaded(_ id: Int64, now: Date) async throws {
        try await updateBatch(id, "batchDownloaded", "phase = 'publishing'", [], now: now)
    }

    /// The batch is over (`outcome` says how); members still live are released without counting an attempt.
    public func endBatch(_ id: Int64, outcome: String, now: Date) async throws {
        let t = now.storeSeconds
        try await write("endBatch") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', lease = lease + 1, next_attempt_at = ?, updated_at = ?
                    WHERE state = 'running' AND id IN (SELECT job_id FROM batch_members WHERE batch_id = ? AND lease = jobs.lease)
                    """, arguments: [t, t, id])
            try db.execute(
                sql: "UPDATE batches SET phase = 'ended', outcome = ?, next_poll_at = NULL, updated_at = ? WHERE id = ?",
                arguments: [outcome, t, id])
        }
    }

    /// Batches not yet ended, oldest first.
    public func openBatches() async throws -> [BatchRecord] {
        try await read("openBatches") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches WHERE phase != 'ended' ORDER BY id").map(BatchRecord.init(row:))
        }
    }

    /// The latest `limit` batches, newest first.
    public func recentBatches(limit: Int) async throws -> [BatchRecord] {
        try await read("recentBatches") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(BatchRecord.init(row:))
        }
    }

    /// One batch by id.
    public func batch(id: Int64) async throws -> BatchRecord? {
        try await read("batch") { db in try Self.batch(id: id, in: db) }
    }

    private static func batch(id: Int64, in db: Database) throws -> BatchRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]).map(BatchRecord.init(row:))
    }

    private func updateBatch(
        _ id: Int64, _ operation: String, _ assignments: String, _ values: [(any DatabaseValueConvertible)?], now: Date
    ) async throws {
        let arguments = StatementArguments(values) + [now.storeSeconds, id]
        try await write(operation) { db in
            try db.execute(sql: "UPDATE batches SET \(assignments), updated_at = ? WHERE id = ?", arguments: arguments)
        }
    }
}

extension BatchRecord {
    init(row: Row) {
        let nextPoll: Double? = row["next_poll_at"]
        self.init(
            id: row["id"], displayName: row["display_name"], model: row["model"],
            phase: BatchPhase(rawValue: row["phase"]) ?? .ended, name: row["name"], inputFile: row["input_file"],
            resultsFile: row["results_file"], requests: row["requests"], bytes: row["bytes"], remoteState: row["remote_state"],
            polls: row["polls"], nextPollAt: nextPoll.map(Date.init(storeSeconds:)), outcome: row["outcome"],
            createdAt: Date(storeSeconds: row["created_at"]), updatedAt: Date(storeSeconds: row["updated_at"]))
    }
}
