import Foundation
import GRDB

extension Store {
    /// Adds one model call's tokens to the ledger.
    public func recordUsage(_ usage: Usage, at: Date) async throws {
        let t = at.storeSeconds
        try await write("recordUsage") { db in try Self.insertUsage(usage, at: t, in: db) }
    }

    static func insertUsage(_ usage: Usage, at t: Double, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO usage (at, model, prompt_tokens, output_tokens, thoughts_tokens, total_tokens)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [t, usage.model, usage.promptTokens, usage.outputTokens, usage.thoughtsTokens, usage.totalTokens])
    }

    /// Records that all work is paused until `until` (a daily quota), or clears the pause with nil.
    public func setPause(until: Date?, reason: String?) async throws {
        try await write("setPause") { db in
            if let until {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO daemon_state (key, value) VALUES ('pause_until', ?), ('pause_reason', ?)",
                    arguments: [String(until.storeSeconds), reason])
            } else {
                try db.execute(sql: "DELETE FROM daemon_state WHERE key IN ('pause_until', 'pause_reason')")
            }
        }
    }

    /// Counts by state, oldest pending, the last ten failures, tokens today (UTC) and in total, live uploads, pause and holds.
    public func status(now: Date) async throws -> StoreStatus {
        let t = now.storeSeconds
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let dayStart = calendar.startOfDay(for: now).storeSeconds
        return try await read("status") { db in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM jobs GROUP BY state") {
                if let state = JobState(rawValue: row[0]) { counts[state] = row[1] }
            }
            let oldest = try Double.fetchOne(db, sql: "SELECT MIN(queued_at) FROM jobs WHERE state = 'pending'")
            let failures = try Row.fetchAll(
                db,
                sql: """
                    SELECT image_path, prompt, last_error, attempts, finished_at FROM jobs
                    WHERE state = 'failed' ORDER BY finished_at DESC, id DESC LIMIT 10
                    """
            ).map { row in
                FailureReport(
                    imagePath: row[0], prompt: row[1], failure: Self.decodeFailure(row[2]),
                    attempts: row[3], at: Date(storeSeconds: row[4] ?? 0))
            }
            let today =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(total_tokens), 0) FROM usage WHERE at >= ?",
                    arguments: [dayStart]) ?? 0
            let total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(total_tokens), 0) FROM usage") ?? 0
            let uploads = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM uploads WHERE state = 'ACTIVE' AND expiration_time > ?
                    """, arguments: [t])
            let pause = try Row.fetchAll(db, sql: "SELECT key, value FROM daemon_state WHERE key LIKE 'pause_%'")
            let pauseValues = Dictionary(
                uniqueKeysWithValues: pause.compactMap { row in
                    (row[1] as String?).map { (row[0] as String, $0) }
                })
            return StoreStatus(
                counts: counts, oldestPending: oldest.map(Date.init(storeSeconds:)),
                recentFailures: failures, tokensToday: today, tokensTotal: total,
                uploadsAlive: uploads?[0] ?? 0, uploadBytesAlive: uploads?[1] ?? 0,
                pausedUntil: pauseValues["pause_until"].flatMap(Double.init).map(Date.init(storeSeconds:)),
                pauseReason: pauseValues["pause_reason"], holds: try Self.fetchHolds(db))
        }
    }
}
