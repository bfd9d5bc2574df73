import Foundation
import GRDB

/// The state of an uploaded file: the Files API's own states plus `gone` (deleted or refused by the server).
public enum UploadState: String, Sendable, Codable, CaseIterable {
    case processing = "PROCESSING"
    case active = "ACTIVE"
    case failed = "FAILED"
    case gone = "GONE"
}

/// A file uploaded through the Files API.
public struct UploadRecord: Sendable, Hashable, Codable {
    /// The server's name, `files/abc123`.
    public var name: String
    public var uri: String
    public var mimeType: String
    /// Lower-case hex SHA-256 of the uploaded bytes.
    public var sha256: String
    public var sizeBytes: Int64
    public var createTime: Date
    public var expirationTime: Date
    public var state: UploadState
    public var lastUsed: Date

    public init(
        name: String, uri: String, mimeType: String, sha256: String, sizeBytes: Int64,
        createTime: Date, expirationTime: Date, state: UploadState, lastUsed: Date
    ) {
        self.name = name
        self.uri = uri
        self.mimeType = mimeType
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.createTime = createTime
        self.expirationTime = expirationTime
        self.state = state
        self.lastUsed = lastUsed
    }
}

/// A resumable upload in progress, so that a restart continues it instead of starting over.
///
/// The session URL lets anyone holding it finish the upload: log it at debug level only.
public struct UploadSession: Sendable, Hashable {
    public var sessionURL: String
    public var path: String
    public var sha256: String
    public var size: Int64
    public var mimeType: String
    /// Bytes the server confirmed receiving.
    public var offsetConfirmed: Int64
    public var startedAt: Date

    public init(
        sessionURL: String, path: String, sha256: String, size: Int64, mimeType: String,
        offsetConfirmed: Int64, startedAt: Date
    ) {
        self.sessionURL = sessionURL
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.mimeType = mimeType
        self.offsetConfirmed = offsetConfirmed
        self.startedAt = startedAt
    }
}

extension Store {
    /// The active upload of this content with at least `minRemaining` seconds of life left, longest-lived first.
    public func liveUpload(sha256: String, minRemaining: TimeInterval, now: Date) async throws -> UploadRecord? {
        let cutoff = now.storeSeconds + minRemaining
        return try await read("liveUpload") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM uploads WHERE sha256 = ? AND state = 'ACTIVE' AND expiration_time > ?
                    ORDER BY expiration_time DESC LIMIT 1
                    """, arguments: [sha256, cutoff]
            ).map(UploadRecord.init(row:))
        }
    }

    /// Inserts or replaces an upload by name.
    public func saveUpload(_ upload: UploadRecord) async throws {
        try await write("saveUpload") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO uploads (name, uri, mime_type, sha256, size_bytes, create_time,
                        expiration_time, state, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload.name, upload.uri, upload.mimeType, upload.sha256, upload.sizeBytes,
                    upload.createTime.storeSeconds, upload.expirationTime.storeSeconds,
                    upload.state.rawValue, upload.lastUsed.storeSeconds,
                ])
        }
    }

    /// Marks an upload as no longer usable (a 403 for it, or deleted); it is never offered again.
    public func markUploadGone(name: String) async throws {
        try await write("markUploadGone") { db in
            try db.execute(sql: "UPDATE uploads SET state = 'GONE' WHERE name = ?", arguments: [name])
        }
    }

    /// Records that a request used the upload (for deleting the least recently used first).
    public func touchUpload(name: String, at: Date) async throws {
        let t = at.storeSeconds
        try await write("touchUpload") { db in
            try db.execute(sql: "UPDATE uploads SET last_used = ? WHERE name = ?", arguments: [t, name])
        }
    }

    /// Every recorded upload, least recently used first.
    public func uploads() async throws -> [UploadRecord] {
        try await read("uploads") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uploads ORDER BY last_used, name").map(UploadRecord.init(row:))
        }
    }

    /// Deletes the rows of expired and gone uploads, and their links to images; returns what was removed.
    public func purgeExpiredUploads(now: Date) async throws -> [UploadRecord] {
        let t = now.storeSeconds
        return try await write("purgeExpiredUploads") { db in
            let condition = "WHERE expiration_time <= ? OR state = 'GONE'"
            let purged = try Row.fetchAll(
                db, sql: "SELECT * FROM uploads " + condition + " ORDER BY name",
                arguments: [t]
            ).map(UploadRecord.init(row:))
            try db.execute(sql: "DELETE FROM uploads " + condition, arguments: [t])
            try db.execute(sql: "DELETE FROM upload_users WHERE upload_name NOT IN (SELECT name FROM uploads)")
            return purged
        }
    }

    /// Inserts or replaces a resumable session by its URL.
    public func saveSession(_ session: UploadSession) async throws {
        try await write("saveSession") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO upload_sessions (session_url, path, sha256, size, mime_type,
                        offset_confirmed, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.sessionURL, session.path, session.sha256, session.size, session.mimeType,
                    session.offsetConfirmed, session.startedAt.storeSeconds,
                ])
        }
    }

    /// Records the byte count the server confirmed for a session.
    public func updateSessionOffset(sessionURL: String, offset: Int64) async throws {
        try await write("updateSessionOffset") { db in
            try db.execute(
                sql: "UPDATE upload_sessions SET offset_confirmed = ? WHERE session_url = ?",
                arguments: [offset, sessionURL])
        }
    }

    /// The most recently started session for this content, if any.
    public func session(sha256: String) async throws -> UploadSession? {
        try await read("session") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM upload_sessions WHERE sha256 = ? ORDER BY started_at DESC LIMIT 1
                    """, arguments: [sha256]
            ).map(UploadSession.init(row:))
        }
    }

    /// Every resumable session (to abandon those older than the server keeps them).
    public func sessions() async throws -> [UploadSession] {
        try await read("sessions") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM upload_sessions ORDER BY started_at").map(UploadSession.init(row:))
        }
    }

    /// Forgets a session (finished or abandoned).
    public func deleteSession(sessionURL: String) async throws {
        try await write("deleteSession") { db in
            try db.execute(sql: "DELETE FROM upload_sessions WHERE session_url = ?", arguments: [sessionURL])
        }
    }
}

extension UploadRecord {
    init(row: Row) {
        self.init(
            name: row["name"], uri: row["uri"], mimeType: row["mime_type"], sha256: row["sha256"],
            sizeBytes: row["size_bytes"], createTime: Date(storeSeconds: row["create_time"]),
            expirationTime: Date(storeSeconds: row["expiration_time"]),
            state: UploadState(rawValue: row["state"]) ?? .gone, lastUsed: Date(storeSeconds: row["last_used"]))
    }
}

extension UploadSession {
    init(row: Row) {
        self.init(
            sessionURL: row["session_url"], path: row["path"], sha256: row["sha256"], size: row["size"],
            mimeType: row["mime_type"], offsetConfirmed: row["offset_confirmed"],
            startedAt: Date(storeSeconds: row["started_at"]))
    }
}
