import Foundation
import GRDB

extension Store {
    /// Claims up to `limit` pending jobs due by `now` and marks them running, in one transaction.
    ///
    /// Fair across folders: each pick goes to the folder served least recently that has a due job,
    /// and within a folder to its oldest job, so a large backlog in one folder never starves another.
    /// Jobs of the prompts in `skipping` (those on a held model) stay pending, and so do those of the folders in
    /// `skippingFolders` (those that go by batch only).
    ///
    /// A due suspect (a job in flight at an abnormal end, ``Job/crashes``) goes first and alone: while
    /// `othersRunning`, nothing is claimed (the others drain), then the suspect with nothing beside it, so a
    /// photo that kills the process takes nothing else down with it.
    public func claimNext(
        now: Date, limit: Int, skipping: [String] = [], skippingFolders: [String] = [], othersRunning: Bool = false
    ) async throws -> [Job] {
        let t = now.storeSeconds
        let skip = Self.promptFilter(skipping.count) + Self.folderFilter(skippingFolders.count)
        let skipped = StatementArguments(skipping) + StatementArguments(skippingFolders)
        return try await write("claimNext") { db in
            var jobs: [Job] = []
            if let suspect = try Row.fetchOne(
                db,
                sql:
                    "SELECT * FROM jobs WHERE state = 'pending' AND crashes > 0 AND next_attempt_at <= ?\(skip) ORDER BY queued_at, id LIMIT 1",
                arguments: [t] + skipped)
            {
                guard !othersRunning, limit > 0 else { return [] }
                let id: Int64 = suspect["id"]
                try db.execute(
                    sql: "UPDATE jobs SET state = 'running', lease = lease + 1, updated_at = ? WHERE id = ?", arguments: [t, id])
                var job = Job(row: suspect)
                job.lease += 1
                return [job]
            }
            while jobs.count < limit {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT j.* FROM folders f JOIN jobs j ON j.id = (
                            SELECT id FROM jobs
                            WHERE state = 'pending' AND folder = f.folder AND next_attempt_at <= ?\(skip)
                            ORDER BY queued_at, id LIMIT 1)
                        ORDER BY f.served_seq, f.folder LIMIT 1
                        """, arguments: [t] + skipped)
                guard let row else { break }
                let id: Int64 = row["id"]
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'running', lease = lease + 1, updated_at = ? WHERE id = ?
                        """, arguments: [t, id])
                try db.execute(
                    sql: """
                        UPDATE folders SET served_seq = (SELECT MAX(served_seq) + 1 FROM folders) WHERE folder = ?
                        """, arguments: [row["folder"] as String])
                var job = Job(row: row)
                job.lease += 1
                jobs.append(job)
            }
            return jobs
        }
    }

    /// When the earliest pending job becomes due, or nil when nothing is pending; the prompts in `skipping` and
    /// the folders in `skippingFolders` are left out.
    public func nextDue(skipping: [String] = [], skippingFolders: [String] = []) async throws -> Date? {
        let skip = Self.promptFilter(skipping.count) + Self.folderFilter(skippingFolders.count)
        let arguments = StatementArguments(skipping) + StatementArguments(skippingFolders)
        return try await read("nextDue") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM jobs WHERE state = 'pending'" + skip, arguments: arguments)
                .map(Date.init(storeSeconds:))
        }
    }

    /// ` AND prompt NOT IN (?, …)` with `count` placeholders; nothing for none.
    private static func promptFilter(_ count: Int) -> String {
        count == 0 ? "" : " AND prompt NOT IN (" + placeholders(count) + ")"
    }

    /// ` AND folder NOT IN (?, …)` with `count` placeholders; nothing for none.
    private static func folderFilter(_ count: Int) -> String {
        count == 0 ? "" : " AND folder NOT IN (" + placeholders(count) + ")"
    }

    /// `?, ?, …`, `count` of them.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Marks a claimed job done with its sidecar fragment; returns false when the claim is stale.
    ///
    /// `usage` goes to the ledger even when the claim is stale: the tokens were spent.
    @discardableResult
    public func complete(_ job: Job, result: Data, usage: Usage?, now: Date) async throws -> Bool {
        let t = now.storeSeconds
        return try await write("complete") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'done', result = ?, finished_at = ?, updated_at = ?, last_error = NULL, crashes = 0
                    WHERE id = ? AND lease = ? AND state = 'running'
                    """, arguments: [result, t, t, job.id, job.lease])
            let accepted = db.changesCount == 1
            if let usage { try Self.insertUsage(usage, at: t, in: db) }
            return accepted
        }
    }

    /// Records a failed attempt; returns the job's new state (`pending` or `failed`), nil when the claim is stale.
    ///
    /// The attempt counts. The job fails for good when `permanent` or when it has used
    /// ``maxAttempts`` attempts; otherwise it waits until `retryAt` (now when nil).
    @discardableResult
    public func fail(_ job: Job, error: JobFailure, permanent: Bool, retryAt: Date?, now: Date) async throws -> JobState? {
        let t = now.storeSeconds
        let retry = (retryAt ?? now).storeSeconds
        let errorText = try Self.encode(error)
        let maxAttempts = maxAttempts
        return try await write("fail") { db in
            guard
                let attempts = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT attempts FROM jobs WHERE id = ? AND lease = ? AND state = 'running'
                        """, arguments: [job.id, job.lease])
            else { return nil }
            let state: JobState = permanent || attempts + 1 >= maxAttempts ? .failed : .pending
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?,
                        next_attempt_at = ?, finished_at = ?, crashes = 0
                    WHERE id = ?
                    """, arguments: [state.rawValue, errorText, t, retry, state == .failed ? t : nil, job.id])
            return state
        }
    }

    /// Puts a claimed job back without counting an attempt (rate-limit pauses, shutdown); false when stale.
    @discardableResult
    public func requeue(_ job: Job, at: Date, now: Date) async throws -> Bool {
        let t = now.storeSeconds
        let due = at.storeSeconds
        return try await write("requeue") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', next_attempt_at = ?, updated_at = ?, crashes = 0
                    WHERE id = ? AND lease = ? AND state = 'running'
                    """, arguments: [due, t, job.id, job.lease])
            return db.changesCount == 1
        }
    }

    /// Returns every running job to pending without spending an attempt: the daemon calls it at the end of a
    /// clean stop, for the jobs it cancelled. Those carried by a batch not yet ended stay with it. Returns how many.
    @discardableResult
    public func releaseRunning() async throws -> Int {
        try await write("releaseRunning") { db in
            try db.execute(sql: "UPDATE jobs SET state = 'pending', lease = lease + 1 WHERE state = 'running' AND \(Self.notInLiveBatch)")
            return db.changesCount
        }
    }

    /// Removes the pending jobs of an image that was deleted or moved away; returns how many.
    ///
    /// A folder path drops the pending jobs of every image below it. Finished jobs stay, so the
    /// same content coming back is recognised; running jobs finish or fail on their own.
    @discardableResult
    public func drop(imagePath: String) async throws -> Int {
        try await write("drop") { db in
            try db.execute(
                sql: "DELETE FROM jobs WHERE state = 'pending' AND " + PathMatch.sql,
                arguments: PathMatch.arguments(imagePath))
            return db.changesCount
        }
    }

    /// Forgets an image (or every image below a folder path) and all its jobs and results; returns how many images.
    ///
    /// For images found gone at reconciliation. A running job of a forgotten image can no longer complete.
    @discardableResult
    public func forget(imagePath: String) async throws -> Int {
        try await write("forget") { db in
            try db.execute(
                sql: "DELETE FROM images WHERE " + PathMatch.sql.replacingOccurrences(of: "image_path", with: "path"),
                arguments: PathMatch.arguments(imagePath))
            let forgotten = db.changesCount
            // A forgotten image no longer holds on to uploads other images share.
            try db.execute(sql: "DELETE FROM upload_users WHERE " + PathMatch.sql, arguments: PathMatch.arguments(imagePath))
            return forgotten
        }
    }

    /// Removes the pending jobs of prompts no longer configured; returns how many.
    ///
    /// Finished results stay, so a prompt configured again with the same definition is not re-run.
    @discardableResult
    public func dropPending(promptsNotIn names: [String]) async throws -> Int {
        try await write("dropPending") { db in
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let condition = names.isEmpty ? "" : " AND prompt NOT IN (\(placeholders))"
            try db.execute(
                sql: "DELETE FROM jobs WHERE state = 'pending'" + condition,
                arguments: StatementArguments(names))
            return db.changesCount
        }
    }

    /// The latest result fragment of every done prompt of an image, by prompt name.
    public func results(imagePath: String) async throws -> [String: Data] {
        try await read("results") { db in
            var results: [String: Data] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT prompt, result FROM jobs WHERE image_path = ? AND state = 'done' AND result IS NOT NULL
                    """, arguments: [imagePath])
            while let row = try rows.next() { results[row["prompt"]] = row["result"] }
            return results
        }
    }

    /// Replaces the result fragment of a prompt that is done (its overlay written later than its
    /// reply was recorded); false when that prompt is no longer done (the image or prompt changed).
    @discardableResult
    public func replaceResult(imagePath: String, prompt: String, result: Data) async throws -> Bool {
        try await write("replaceResult") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET result = ? WHERE image_path = ? AND prompt = ? AND state = 'done'
                    """, arguments: [result, imagePath, prompt])
            return db.changesCount == 1
        }
    }

    /// The failure of every prompt of an image that failed for good, by prompt name (for the sidecar).
    public func failures(imagePath: String) async throws -> [String: JobFailure] {
        try await read("failures") { db in
            var failures: [String: JobFailure] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT prompt, last_error FROM jobs WHERE image_path = ? AND state = 'failed'
                    """, arguments: [imagePath])
            while let row = try rows.next() { failures[row["prompt"]] = Self.decodeFailure(row["last_error"]) }
            return failures
        }
    }

    /// The prompts of an image still to run (pending or running).
    public func unfinishedPrompts(imagePath: String) async throws -> [String] {
        try await read("unfinishedPrompts") { db in
            try String.fetchAll(
                db, sql: "SELECT prompt FROM jobs WHERE image_path = ? AND state IN ('pending', 'running') ORDER BY prompt",
                arguments: [imagePath])
        }
    }

    /// The state of one job, nil when there is none.
    public func state(of key: JobKey) async throws -> JobState? {
        try await read("state") { db in
            try String.fetchOne(
                db, sql: "SELECT state FROM jobs WHERE image_path = ? AND prompt = ?",
                arguments: [key.imagePath, key.prompt]
            ).flatMap(JobState.init(rawValue:))
        }
    }

    static func encode(_ failure: JobFailure) throws -> String {
        String(decoding: try JSONEncoder().encode(failure), as: UTF8.self)
    }

    static func decodeFailure(_ text: String?) -> JobFailure {
        guard let text, let failure = try? JSONDecoder().decode(JobFailure.self, from: Data(text.utf8)) else {
            return JobFailure(code: "unknown", message: text ?? "no reason recorded")
        }
        return failure
    }
}

extension Job {
    init(row: Row) {
        self.init(
            id: row["id"], lease: row["lease"], imagePath: row["image_path"], folder: row["folder"],
            prompt: row["prompt"], promptHash: row["prompt_hash"], sha256: row["sha256"],
            attempts: row["attempts"], queuedAt: Date(storeSeconds: row["queued_at"]), crashes: row["crashes"])
    }
}
