import Foundation
import GeminiAPI
import Imaging
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
    /// Start deleting our least recently used uploads when live ones would exceed this (the project quota is 20 GB).
    let quotaBudget: Int64
    /// Saved sessions older than this are abandoned: the upload service keeps a resumable session about a week.
    let sessionLifetime: TimeInterval
    /// The current time, as the service sees it.
    let now: @Sendable () -> Date

    public init(
        client: GeminiClient, store: Store, stateDir: String, reuseMargin: Duration, logger: Logger,
        quotaBudget: Int64 = 19_000_000_000, sessionLifetime: Duration = .seconds(6 * 86400),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.store = store
        stagingDir = stateDir + "/uploads"
        self.reuseMargin = reuseMargin
        self.logger = logger
        self.quotaBudget = quotaBudget
        self.sessionLifetime = Double(sessionLifetime.components.seconds)
        self.now = now
    }

    /// A file the model can read: what `fileData` needs.
    public struct Uploaded: Sendable {
        public var name: String
        public var uri: String
        public var mimeType: String
        public var sizeBytes: Int64
        public var expirationTime: Date
        /// True when an earlier upload was reused.
        public var reused: Bool
    }

    /// The uploaded file for these bytes, uploading them when no live upload of the same content exists.
    ///
    /// - Parameter image: the watched image these bytes are a copy of, so `releaseUploads(forImage:)` can delete
    ///   the upload once that image is done (the link is kept in the Store, so it survives a restart); nil for
    ///   shared inputs such as reference images.
    /// - Parameter lifeNeeded: reuse an earlier upload only with this much life left (a batch needs its files
    ///   until it is answered); nil: `file_reuse_margin`.
    public func file(
        for data: Data, mimeType: String, displayName: String, forImage image: String? = nil, lifeNeeded: Duration? = nil
    ) async throws -> Uploaded {
        let sha = FileHash.sha256Hex(data)
        let uploaded = try await lock.withLock(sha) {
            if let live = try await reusable(sha, lifeNeeded: lifeNeeded) { return live }
            let path = try await BlockingWork.run { try self.stage(data, sha: sha) }
            return try await upload(path: path, size: Int64(data.count), sha: sha, mimeType: mimeType, displayName: displayName)
        }
        if let image { try await store.linkUpload(name: uploaded.name, toImage: image) }
        return uploaded
    }

    /// The uploaded file for a file on disk (streamed, never loaded into memory).
    public func file(atPath path: String, sha256: String, size: Int64, mimeType: String, displayName: String) async throws -> Uploaded {
        try await lock.withLock(sha256) {
            if let live = try await reusable(sha256) { return live }
            return try await upload(path: path, size: size, sha: sha256, mimeType: mimeType, displayName: displayName)
        }
    }

    /// A file on disk, hashed, ready for `file(_:)`.
    public struct LocalFile: Sendable {
        public var path: String
        public var size: Int64
        /// Lowercase hex SHA-256.
        public var sha256: String
        public var mimeType: String
    }

    /// Hashes a file in constant memory. The MIME type is read from the content for the image formats; other files
    /// need `mimeType`.
    public static func local(path: String, mimeType: String? = nil) async throws -> LocalFile {
        let (sha, size, sniffed) = try await BlockingWork.run { () throws -> (String, Int64, String?) in
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            defer { try? handle.close() }
            let header = try handle.read(upToCount: ImageProbe.headerLength) ?? Data()
            return (
                try FileHash.sha256Hex(path: path), (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                ImageProbe.sniff(Array(header))?.mimeType
            )
        }
        guard let type = mimeType ?? sniffed else {
            throw GeminiError(code: .upload, message: "\(path) is not a PNG, JPEG, WebP, HEIC or HEIF image: give its MIME type")
        }
        return LocalFile(path: path, size: size, sha256: sha, mimeType: type)
    }

    /// Uploads a hashed file on disk (or reuses a live upload of the same content), streamed in constant memory.
    public func file(_ local: LocalFile) async throws -> Uploaded {
        try await file(
            atPath: local.path, sha256: local.sha256, size: local.size, mimeType: local.mimeType,
            displayName: (local.path as NSString).lastPathComponent)
    }

    /// After a 403 for a file we believed alive: forget it so the next request uploads again.
    public func markGone(name: String) async {
        try? await store.markUploadGone(name: name)
        logger.notice("\(name) is gone on the server (deleted or expired early); it will be uploaded again")
    }

    private func reusable(_ sha: String, lifeNeeded: Duration? = nil) async throws -> Uploaded? {
        let margin = Double((lifeNeeded ?? reuseMargin).components.seconds)
        let t = now()
        guard let rec = try await store.liveUpload(sha256: sha, minRemaining: margin, now: t) else { return nil }
        try await store.touchUpload(name: rec.name, at: t)
        return Uploaded(
            name: rec.name, uri: rec.uri, mimeType: rec.mimeType, sizeBytes: rec.sizeBytes,
            expirationTime: rec.expirationTime, reused: true)
    }

    private func upload(path: String, size: Int64, sha: String, mimeType: String, displayName: String) async throws -> Uploaded {
        try await makeRoom(for: size)
        let saved = try await resumableSession(sha: sha)
        if let saved { logger.info("resuming the upload of \(displayName) at byte \(saved.offsetConfirmed) of \(size)") }
        let source = FileUploader.Source(path: path, size: size, sha256: sha, mimeType: mimeType, displayName: displayName)
        let result: Result<GeminiFile, GeminiError>
        do {
            result = .success(
                try await FileUploader(client: client).upload(
                    source, resuming: saved.map { .init(url: $0.sessionURL, confirmedOffset: $0.offsetConfirmed) },
                    progress: sessionRecorder(source, replacing: saved)))
        } catch {
            result = .failure(error)
        }
        if case .failure(let error) = result, error.code == .upload, let s = try await store.session(sha256: sha) {
            // The session ended wrong (cancelled, mismatching result): resuming it cannot help, the next try starts afresh.
            try await store.deleteSession(sessionURL: s.sessionURL)
        }
        let file = try result.get()
        if let s = try await store.session(sha256: sha) { try await store.deleteSession(sessionURL: s.sessionURL) }
        if path.hasPrefix(stagingDir + "/") { unlink(path) }
        guard let uri = file.uri else { throw GeminiError(code: .upload, message: "the uploaded \(file.name) has no uri") }
        // Times are kept on our clock: the file was created just now and lives as long as the server says, so a
        // local clock that is off by some minutes does not shift the reuse margin.
        let t = now()
        let lifetime = file.expirationTime.map { $0.timeIntervalSince(file.createTime ?? $0) } ?? 0
        let expiration = t.addingTimeInterval(lifetime > 0 ? lifetime : 48 * 3600)
        try await store.saveUpload(
            UploadRecord(
                name: file.name, uri: uri, mimeType: file.mimeType ?? mimeType, sha256: sha,
                sizeBytes: size, createTime: t, expirationTime: expiration,
                state: .active, lastUsed: t))
        logger.debug("uploaded \(displayName) as \(file.name) (\(size) bytes)")
        return Uploaded(
            name: file.name, uri: uri, mimeType: file.mimeType ?? mimeType, sizeBytes: size,
            expirationTime: expiration, reused: false)
    }

    /// Saves a new session in the Store (replacing `saved`) and then every offset the server confirms.
    private func sessionRecorder(
        _ source: FileUploader.Source, replacing saved: UploadSession?
    ) -> @Sendable (FileUploader.Session) async -> Void {
        let store = self.store
        let started = Date()
        return { session in
            if session.confirmedOffset == 0, saved?.sessionURL != session.url {
                if let saved { try? await store.deleteSession(sessionURL: saved.sessionURL) }
                try? await store.saveSession(
                    UploadSession(
                        sessionURL: session.url, path: source.path, sha256: source.sha256,
                        size: source.size, mimeType: source.mimeType, offsetConfirmed: 0,
                        startedAt: started))
            } else {
                try? await store.updateSessionOffset(sessionURL: session.url, offset: session.confirmedOffset)
            }
        }
    }

    /// The saved session for this content, unless it is older than the service keeps sessions (then it is dropped).
    private func resumableSession(sha: String) async throws -> UploadSession? {
        guard let saved = try await store.session(sha256: sha) else { return nil }
        guard Date().timeIntervalSince(saved.startedAt) > sessionLifetime else { return saved }
        try await abandon(saved)
        return nil
    }

    /// Cancels a session on the server (best effort: it may be long gone) and forgets it.
    func abandon(_ session: UploadSession) async throws {
        try? await client.cancelUpload(sessionURL: session.sessionURL)
        try await store.deleteSession(sessionURL: session.sessionURL)
        if session.path.hasPrefix(stagingDir + "/"), try await store.session(sha256: session.sha256) == nil {
            unlink(session.path)
        }
        logger.notice("abandoned an upload session of \(session.size) bytes started \(session.startedAt)")
    }

    /// Writes in-memory bytes to a private staging file named by content, so a resumed upload finds them again.
    private func stage(_ data: Data, sha: String) throws -> String {
        try FileManager.default.createDirectory(
            atPath: stagingDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = stagingDir + "/" + sha
        if let attrs = try? FileManager.default.attributesOfItem(atPath: path), (attrs[.size] as? Int) == data.count { return path }
        try SafeOutput(directory: stagingDir).write(data, name: sha, mode: 0o600)
        return path
    }

    /// Keeps our live uploads under the quota budget by deleting the least recently used first; the files of a
    /// batch not yet ended are never deleted (the batch reads them until it is answered).
    private func makeRoom(for size: Int64) async throws {
        let t = now()
        var live = try await store.uploads().filter { $0.state == .active && $0.expirationTime > t }
        var total = live.reduce(0) { $0 + $1.sizeBytes }
        guard total + size > quotaBudget else { return }
        let pinned = try await store.uploadsInOpenBatches()
        live.sort { $0.lastUsed < $1.lastUsed }
        for old in live where total + size > quotaBudget && !pinned.contains(old.name) {
            guard await deleteRemote(old.name) else { continue }
            total -= old.sizeBytes
            logger.notice("deleted \(old.name) (\(old.sizeBytes) bytes, least recently used) to stay under the 20 GB project quota")
        }
    }

    /// Deletes a file on the server and marks it gone; true when it is gone (also when the server had already lost it).
    func deleteRemote(_ name: String) async -> Bool {
        do {
            try await client.deleteFile(name: name)
        } catch  where error.isFileGone {
        } catch {
            logger.warning("could not delete \(name): \(error)")
            return false
        }
        try? await store.markUploadGone(name: name)
        return true
    }
}
