import Foundation
import GRDB

extension Store {
    /// The code of a job quarantined for ending the daemon abnormally.
    public static let crashedTheDaemon = "crashed_the_daemon"

    /// What ``recoverAfterAbnormalEnd(now:)`` did with the jobs the last process left running.
    public struct AbnormalEndRecovery: Sendable {
        /// Queued again, one attempt spent; they run alone (suspects) until they end some other way.
        public var requeued: [Job] = []
        /// Failed for good with ``Store/crashedTheDaemon``: in flight at two abnormal ends in a row, or out of attempts.
        public var quarantined: [Job] = []
    }

    /// Deals with the jobs left `running` at start (those carried by a batch not yet ended stay with it): a clean stop releases its jobs (``releaseRunning()``), so
    /// these were in flight when the last process ended abnormally (a crash, a kill, the watchdog).
    ///
    /// Each spends an attempt and counts the abnormal end. One in flight at two abnormal ends in a row, or at
    /// its last attempt, fails for good with ``crashedTheDaemon`` (never retried automatically; `dropsight retry`
    /// can); the others are queued again as suspects.
    public func recoverAfterAbnormalEnd(now: Date) async throws -> AbnormalEndRecovery {
        let t = now.storeSeconds
        let maxAttempts = maxAttempts
        return try await write("recoverAfterAbnormalEnd") { db in
            var recovery = AbnormalEndRecovery()
            try Self.endBatchesCutShort(db, at: t)
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM jobs WHERE state = 'running' AND \(Self.notInLiveBatch) ORDER BY queued_at, id")
            {
                var job = Job(row: row)
                job.attempts += 1
                job.crashes += 1
                job.lease += 1
                let quarantined = job.crashes >= 2 || job.attempts >= maxAttempts
                let failure = JobFailure(
                    code: Self.crashedTheDaemon,
                    message: job.crashes >= 2
                        ? "the daemon ended abnormally twice in a row while this prompt ran on this image; it is not tried again by itself (`dropsight retry` runs it again)"
                        : "the daemon ended abnormally while this prompt ran on this image, at its last attempt (`dropsight retry` runs it again)"
                )
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = ?, lease = ?, attempts = ?, crashes = ?, updated_at = ?, finished_at = ?,
                            last_error = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        quarantined ? "failed" : "pending", job.lease, job.attempts, job.crashes, t, quarantined ? t : nil,
                        quarantined ? try Self.encode(failure) : row["last_error"] as String?, job.id,
                    ])
                if quarantined { recovery.quarantined.append(job) } else { recovery.requeued.append(job) }
            }
            return recovery
        }
    }

    /// Ends the batches a process left `preparing` (a clean stop ends its own, so these were cut short by an
    /// abnormal end; nothing of them reached the service). The member being prepared then (the first live one
    /// not yet written to the JSONL) stays `running`, so it is counted below like any job in flight: a photo that
    /// crashes the daemon while its batch is prepared is quarantined too. The others go back to the queue, no
    /// attempt counted.
    private static func endBatchesCutShort(_ db: Database, at t: Double) throws {
        for batch in try Int64.fetchAll(db, sql: "SELECT id FROM batches WHERE phase = 'preparing'") {
            let suspect = try Int64.fetchOne(
                db,
                sql: """
                    SELECT j.id FROM batch_members m JOIN jobs j ON j.id = m.job_id AND j.lease = m.lease
                    WHERE m.batch_id = ? AND j.state = 'running' AND m.sent IS NULL ORDER BY j.queued_at, j.id LIMIT 1
                    """, arguments: [batch])
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', lease = lease + 1, next_attempt_at = ?, updated_at = ?
                    WHERE state = 'running' AND id IS NOT ?
                      AND id IN (SELECT job_id FROM batch_members WHERE batch_id = ? AND lease = jobs.lease)
                    """, arguments: [t, t, suspect, batch])
            try db.execute(
                sql: "UPDATE batches SET phase = 'ended', outcome = 'cut short', next_poll_at = NULL, updated_at = ? WHERE id = ?",
                arguments: [t, batch])
        }
    }
}
