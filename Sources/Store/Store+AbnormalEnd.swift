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
}
