import Foundation
import GeminiAPI
import Store

/// Deleting uploads: after an image is done (`api.delete_after_use`), by name, and purging old records.
extension FileCache {
    /// Deletes the uploads made for this image's own copies, unless another image still in progress uses the
    /// same upload. Call it once all of the image's prompts are done, when `api.delete_after_use` is true.
    /// The links between images and uploads live in the Store, so uploads made before a restart are deleted too.
    /// Reference images are never released here: they serve every request until near expiry.
    /// Returns the names deleted.
    @discardableResult
    public func releaseUploads(forImage image: String) async -> [String] {
        let names: [String]
        do {
            names = try await store.releaseUploadLinks(image: image)
        } catch {
            logger.warning("cannot read which uploads \(image) used; they stay until they expire: \(error)")
            return []
        }
        var deleted: [String] = []
        for name in names {
            guard await deleteRemote(name) else { continue }
            deleted.append(name)
            logger.info("deleted \(name) after use (api.delete_after_use)")
        }
        return deleted
    }

    /// Deletes one of our uploads on the server (fine when the server already lost it) and marks it gone.
    public func delete(name: String) async throws(GeminiError) {
        let full = name.hasPrefix("files/") ? name : "files/" + name
        do {
            try await client.deleteFile(name: full)
        } catch  where error.isFileGone {
            logger.info("\(full) was already gone on the server")
        }
        try? await store.markUploadGone(name: full)
    }

    /// What `purge` did.
    public struct PurgeReport: Sendable, Equatable {
        /// Live uploads deleted on the server (`remote` only).
        public var deletedRemotely: [String] = []
        /// Uploads that could not be deleted on the server; their records stay.
        public var failed: [String] = []
        /// Records removed from the Store (expired or gone).
        public var purged: [String] = []
        /// Resumable sessions abandoned (older than the service keeps them; every one with `remote`).
        public var sessionsAbandoned = 0
    }

    /// Removes the records of expired and gone uploads and abandons stale sessions. With `remote`, first deletes
    /// every live upload of ours on the server and abandons every unfinished session.
    public func purge(remote: Bool) async throws -> PurgeReport {
        var report = PurgeReport()
        let t = now()
        if remote {
            for upload in try await store.uploads() where upload.state == .active && upload.expirationTime > t {
                if await deleteRemote(upload.name) { report.deletedRemotely.append(upload.name) } else { report.failed.append(upload.name) }
            }
        }
        for session in try await store.sessions() where remote || Date().timeIntervalSince(session.startedAt) > sessionLifetime {
            try await abandon(session)
            report.sessionsAbandoned += 1
        }
        report.purged = try await store.purgeExpiredUploads(now: t).map(\.name)
        return report
    }
}
