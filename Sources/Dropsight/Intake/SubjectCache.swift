import Foundation

/// Keeps the last few `ImageSubject`s so an image's prompts share one probe, one hash and one model copy.
actor SubjectCache {
    private var entries: [(key: String, subject: ImageSubject)] = []
    private let capacity: Int

    init(capacity: Int = 8) { self.capacity = capacity }

    /// The subject for `path` as it is now on disk (size and mtime must still match), opened beneath `root`;
    /// `recorded` is what intake recorded of it (its hash is reused for that very file).
    func subject(path: String, root: String, limits: ImageSettings, recorded: RecordedFile?) async throws -> ImageSubject {
        let key = Self.identity(path)
        if let hit = entries.first(where: { $0.key == key }) { return hit.subject }
        let subject = try await BlockingWork.run {
            try ImageSubject(path: path, root: root, maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes, recorded: recorded)
        }
        entries.removeAll { $0.key == key }
        entries.append((key, subject))
        if entries.count > capacity { entries.removeFirst() }
        return subject
    }

    func forget(path: String) { entries.removeAll { $0.subject.path == path } }

    /// Path, size and mtime: a changed file is a new subject.
    static func identity(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else { return path }
        return "\(path)|\(st.st_size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
