import Foundation
import GeminiAPI
import Logging
import Store

/// Uploads image copies through the Files API once and reuses them by content (SHA-256) until they are
/// close to their 48-hour expiry. Upload sessions are saved in the Store after every chunk, so an upload
/// interrupted by a crash or restart continues where it stopped.
public final class FileCache: Sendable {
    let client: GeminiClient
    let store: Store
    let stagingDir: String
    let reuseMargin: Duration
    let logger: Logger
    let lock = KeyedLock()
    /// The project quota is 20 GB; start deleting our oldest unused uploads above this.
    static let quotaBudget: Int64 = 19_000_000_000

    public init(client: GeminiClient, store: Store, stateDir: String, reuseMargin: Duration, logger: Logger) {
        self.client = client
        self.store = store
        stagingDir = stateDir + "/uploads"
        self.reuseMargin = reuseMargin
        self.logger = logger
    }

    /// A file the model can read: what `fileData` needs.
    public struct Uploaded: Sendable {
        public var name: String
        public var uri: String
        public var mimeType: String
        /// True when an earlier upload was reused.
        public var reused: Bool
    }

    /// The uploaded file for these bytes, uploading them when no live upload of the same content exists.
    public func file(for data: Data, mimeType: String, displayName: String) async throws -> Uploaded {
        let sha = FileHash.sha256Hex(data)
        return try await lock.withLock(sha) {
            if let live = try await reusable(sha) { return live }
            let path = try await BlockingWork.run { try self.stage(data, sha: sha) }
            return try await upload(path: path, size: Int64(data.count), sha: sha, mimeType: mimeType, displayName: displayName)
        }
    }

    /// The uploaded file for a file on disk (streamed, never loaded into memory).
    public func file(atPath path: String, sha256: String, size: Int64, mimeType: String, displayName: String) async throws -> Uploaded {
        try await lock.withLock(sha256) {
            if let live = try await reusable(sha256) { return live }
            return try await upload(path: path, size: size, sha: sha256, mimeType: mimeType, displayName: displayName)
        }
    }

    /// After a 403 for a file we believed alive: forget it so the next request uploads again.
    public func markGone(name: String) async {
        try? await store.markUploadGone(name: name)
        logger.notice("\(name) is gone on the server (deleted or expired early); it will be uploaded again")
    }

    private func reusable(_ sha: String) async throws -> Uploaded? {
        let margin = Double(reuseMargin.components.seconds)
        guard let rec = try await store.liveUpload(sha256: sha, minRemaining: margin, now: Date()) else { return nil }
        try await store.touchUpload(name: rec.name, at: Date())
        return Uploaded(name: rec.name, uri: rec.uri, mimeType: rec.mimeType, reused: true)
    }

    private func upload(path: String, size: Int64, sha: String, mimeType: String, displayName: String) async throws -> Uploaded {
        try await makeRoom(for: size)
        let saved = try await store.session(sha256: sha)
        if let saved { logger.info("resuming the upload of \(displayName) at byte \(saved.offsetConfirmed) of \(size)") }
        let store = self.store
        let started = Date()
        let file = try await FileUploader(client: client).upload(
            .init(path: path, size: size, sha256: sha, mimeType: mimeType, displayName: displayName),
            resuming: saved.map { .init(url: $0.sessionURL, confirmedOffset: $0.offsetConfirmed) }
        ) { session in
            if session.confirmedOffset == 0, saved?.sessionURL != session.url {
                if let saved { try? await store.deleteSession(sessionURL: saved.sessionURL) }
                try? await store.saveSession(UploadSession(sessionURL: session.url, path: path, sha256: sha, size: size,
                                                           mimeType: mimeType, offsetConfirmed: 0, startedAt: started))
            } else {
                try? await store.updateSessionOffset(sessionURL: session.url, offset: session.confirmedOffset)
            }
        }
        if let s = try await store.session(sha256: sha) { try await store.deleteSession(sessionURL: s.sessionURL) }
        if path.hasPrefix(stagingDir + "/") { unlink(path) }
        guard let uri = file.uri else { throw GeminiError(code: .upload, message: "the uploaded \(file.name) has no uri") }
        let now = Date()
        try await store.saveUpload(UploadRecord(name: file.name, uri: uri, mimeType: file.mimeType ?? mimeType, sha256: sha,
                                                sizeBytes: size, createTime: file.createTime ?? now,
                                                expirationTime: file.expirationTime ?? now.addingTimeInterval(48 * 3600),
                                                state: .active, lastUsed: now))
        logger.info("uploaded \(displayName) as \(file.name) (\(size) bytes)")
        return Uploaded(name: file.name, uri: uri, mimeType: file.mimeType ?? mimeType, reused: false)
    }

    /// Writes in-memory bytes to a private staging file named by content, so a resumed upload finds them again.
    private func stage(_ data: Data, sha: String) throws -> String {
        try FileManager.default.createDirectory(atPath: stagingDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = stagingDir + "/" + sha
        if let attrs = try? FileManager.default.attributesOfItem(atPath: path), (attrs[.size] as? Int) == data.count { return path }
        try SafeOutput(directory: stagingDir).write(data, name: sha, mode: 0o600)
        return path
    }

    /// Keeps our live uploads under the project quota by deleting the least recently used first.
    private func makeRoom(for size: Int64) async throws {
        var live = try await store.uploads().filter { $0.state == .active && $0.expirationTime > Date() }
        var total = live.reduce(0) { $0 + $1.sizeBytes }
        guard total + size > Self.quotaBudget else { return }
        live.sort { $0.lastUsed < $1.lastUsed }
        for old in live where total + size > Self.quotaBudget {
            var deleted = true
            do {
                try await client.deleteFile(name: old.name)
            } catch {
                deleted = error.isFileGone
                if !deleted { logger.warning("could not delete \(old.name) to make room: \(error)") }
            }
            if !deleted { continue }
            try await store.markUploadGone(name: old.name)
            total -= old.sizeBytes
            logger.notice("deleted \(old.name) (\(old.sizeBytes) bytes, least recently used) to stay under the 20 GB project quota")
        }
    }
}
