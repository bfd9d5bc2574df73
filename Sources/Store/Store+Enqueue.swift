import Foundation
import GRDB

extension Store {
    /// Records `image` and queues every prompt whose result is missing or stale; returns how many jobs were (re)queued.
    ///
    /// A prompt is left alone when its job already has the same content hash and prompt hash and is
    /// pending, running, done or failed (a failed job comes back only through ``retryFailed(paths:now:)``).
    /// A new sha256 (content change) re-queues every prompt; a new prompt hash re-queues that prompt only.
    @discardableResult
    public func enqueue(_ image: ImageRecord, prompts: [PromptSpec], now: Date) async throws -> Int {
        try await enqueue([image], prompts: prompts, now: now)
    }

    /// ``enqueue(_:prompts:now:)`` for many images in one transaction.
    @discardableResult
    public func enqueue(_ images: [ImageRecord], prompts: [PromptSpec], now: Date) async throws -> Int {
        let t = now.storeSeconds
        return try await write("enqueue") { db in
            var queued = 0
            for image in images {
                queued += try Self.enqueue(image, prompts: prompts, at: t, in: db)
            }
            return queued
        }
    }

    private static func enqueue(_ image: ImageRecord, prompts: [PromptSpec], at t: Double, in db: Database) throws -> Int {
        try db.cachedStatement(
            sql: """
                INSERT INTO images (path, folder, size, mtime_ns, sha256, seen_at, device, inode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET folder = excluded.folder, size = excluded.size,
                    mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, seen_at = excluded.seen_at,
                    device = CASE WHEN excluded.device = 0 AND images.sha256 = excluded.sha256 THEN images.device ELSE excluded.device END,
                    inode = CASE WHEN excluded.device = 0 AND images.sha256 = excluded.sha256 THEN images.inode ELSE excluded.inode END
                """
        ).execute(arguments: [
            image.path, image.folder, image.size, image.mtimeNs, image.sha256, t,
            Int64(bitPattern: image.device), Int64(bitPattern: image.inode),
        ])
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO folders (folder) VALUES (?)").execute(arguments: [image.folder])
        var queued = 0
        for prompt in prompts {
            let existing = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT id, sha256, prompt_hash, folder FROM jobs WHERE image_path = ? AND prompt = ?
                        """), arguments: [image.path, prompt.name])
            guard let existing else {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO jobs (image_path, folder, prompt, prompt_hash, sha256, state,
                                          queued_at, next_attempt_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                        """
                ).execute(arguments: [image.path, image.folder, prompt.name, prompt.hash, image.sha256, t, t, t])
                queued += 1
                continue
            }
            let id: Int64 = existing["id"]
            if existing["sha256"] == image.sha256, existing["prompt_hash"] == prompt.hash {
                if existing["folder"] != image.folder {
                    try db.execute(sql: "UPDATE jobs SET folder = ? WHERE id = ?", arguments: [image.folder, id])
                }
                continue
            }
            try db.execute(
                sql: """
                    UPDATE jobs SET folder = ?, prompt_hash = ?, sha256 = ?, state = 'pending', lease = lease + 1,
                        attempts = 0, crashes = 0, queued_at = ?, next_attempt_at = ?, updated_at = ?, finished_at = NULL,
                        last_error = NULL, result = NULL
                    WHERE id = ?
                    """, arguments: [image.folder, prompt.hash, image.sha256, t, t, t, id])
            queued += 1
        }
        return queued
    }

    /// Puts matching jobs back in the queue whatever their state; returns how many.
    ///
    /// `paths` nil means every image; a path names an image or a folder (everything below it).
    /// `prompt` nil means every prompt. A running job's current attempt is discarded.
    @discardableResult
    public func reprocess(paths: [String]?, prompt: String?, now: Date) async throws -> Int {
        try await resetJobs(operation: "reprocess", paths: paths, prompt: prompt, onlyFailed: false, now: now)
    }

    /// Puts failed jobs back in the queue with a fresh attempt count; returns how many.
    ///
    /// `paths` nil means every failed job; a path names an image or a folder.
    @discardableResult
    public func retryFailed(paths: [String]?, now: Date) async throws -> Int {
        try await resetJobs(operation: "retryFailed", paths: paths, prompt: nil, onlyFailed: true, now: now)
    }

    private func resetJobs(operation: String, paths: [String]?, prompt: String?, onlyFailed: Bool, now: Date) async throws -> Int {
        let t = now.storeSeconds
        return try await write(operation) { db in
            var conditions: [String] = []
            var base: StatementArguments = [t, t, t]
            if onlyFailed { conditions.append("state = 'failed'") }
            if let prompt {
                conditions.append("prompt = ?")
                base += [prompt]
            }
            let update = """
                UPDATE jobs SET state = 'pending', lease = lease + 1, attempts = 0, crashes = 0, queued_at = ?,
                    next_attempt_at = ?, updated_at = ?, finished_at = NULL, last_error = NULL
                """
            guard let paths else {
                let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                try db.execute(sql: update + filter, arguments: base)
                return db.changesCount
            }
            var total = 0
            for path in paths {
                let filter = " WHERE " + (conditions + [PathMatch.sql]).joined(separator: " AND ")
                try db.execute(sql: update + filter, arguments: base + PathMatch.arguments(path))
                total += db.changesCount
            }
            return total
        }
    }
}

/// Matches an image path or everything below a folder path, using the `image_path` index.
enum PathMatch {
    /// `image_path` equals the path, or lies between "path/" and "path0" ('0' follows '/').
    static let sql = "(image_path = ? OR (image_path > ? AND image_path < ?))"

    static func arguments(_ path: String) -> StatementArguments {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return [String(prefix.dropLast()), prefix, prefix.dropLast() + "0"]
    }
}
