import FileAccess
import Foundation

/// Keeps the last few `ImageSubject`s so an image's prompts share one probe, one hash and one model copy.
///
/// Prompts of one photo usually start together: the first one opens the subject and the others wait for
/// it, instead of each opening (and hashing, probing, decoding) the photo again. Photos are claimed one after
/// another, so a few entries suffice; each keeps a copy and an overlay picture (about 3 MB at the defaults).
actor SubjectCache {
    private var entries: [(key: String, path: String, subject: Task<ImageSubject, any Error>)] = []
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// The subject for `path` as it is now on disk (size and mtime must still match), opened beneath `root`;
    /// `recorded` answers what intake recorded of it (its hash is reused for that very file), asked only when the
    /// photo is opened, not for each prompt that finds it open.
    func subject(
        path: String, root: String, limits: ImageSettings, recorded: @escaping @Sendable () async -> RecordedFile?
    ) async throws -> ImageSubject {
        let key = Self.identity(path)
        if let hit = entries.first(where: { $0.key == key }) { return try await hit.subject.value }
        let opening = Task {
            let recorded = await recorded()
            return try await BlockingWork.run {
                try ImageSubject(path: path, root: root, maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes, recorded: recorded)
            }
        }
        entries.append((key, path, opening))
        if entries.count > capacity { entries.removeFirst() }
        do {
            return try await opening.value
        } catch {
            entries.removeAll { $0.key == key }  // a refused or unreadable file is opened afresh next time
            throw error
        }
    }

    func forget(path: String) { entries.removeAll { $0.path == path } }

    /// Path, size and mtime: a changed file is a new subject.
    static func identity(_ path: String) -> String {
        guard let st = PathBytes.status(of: path) else { return path }
        return "\(path)|\(st.st_size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
