import Dispatch

/// A regular file found by a scan.
public struct ScannedFile: Sendable, Hashable {
    public var path: String
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var mtimeNs: Int64

    public init(path: String, size: Int64, mtimeNs: Int64) {
        self.path = path
        self.size = size
        self.mtimeNs = mtimeNs
    }
}

/// What ``FolderScanner/files(in:skip:ignoreGlobs:)`` found.
public struct ScanResult: Sendable {
    public var files: [ScannedFile]
    /// Sub-folders that could not be listed (permissions, vanished meanwhile).
    public var unreadable: [SystemCallError]
}

/// Lists every regular file below a folder, for start-up reconciliation and rescans.
public enum FolderScanner {
    /// Every regular file below `folder`, recursively, with size and mtime (readdir + fstatat).
    ///
    /// The folder itself may be a symlink (it is what was configured); below it symlinks are never
    /// followed, neither to files nor to directories. Names are filtered as the watcher filters them
    /// (hidden, temporary, `ignoreGlobs`, `skip`). Throws when `folder` cannot be listed; a
    /// sub-folder that cannot be listed is passed to `onError` and left out.
    public static func scan(
        folder: String, skip: @escaping @Sendable (String) -> Bool = { _ in false },
        ignoreGlobs: [String] = [],
        onError: (SystemCallError) -> Void = { _ in }
    ) throws(SystemCallError) -> [ScannedFile] {
        let filter = NameFilter(ignoreGlobs: ignoreGlobs, skip: skip)
        return try scan(folder: normalized(folder), filter: filter, onError: onError)
    }

    /// ``scan(folder:skip:ignoreGlobs:onError:)`` on a dedicated serial queue, off Swift's cooperative pool.
    public static func files(
        in folder: String, skip: @escaping @Sendable (String) -> Bool = { _ in false },
        ignoreGlobs: [String] = []
    ) async throws(SystemCallError) -> ScanResult {
        let result: Result<ScanResult, SystemCallError> = await withCheckedContinuation { continuation in
            queue.async {
                var unreadable: [SystemCallError] = []
                continuation.resume(
                    returning: Result { () throws(SystemCallError) in
                        let files = try scan(folder: folder, skip: skip, ignoreGlobs: ignoreGlobs) { unreadable.append($0) }
                        return ScanResult(files: files, unreadable: unreadable)
                    })
            }
        }
        return try result.get()
    }

    /// Scans run one at a time: they are disk-bound, and two would only compete for the same disk.
    private static let queue = DispatchQueue(label: "dropsight.scanner")

    static func scan(folder root: String, filter: NameFilter, onError: (SystemCallError) -> Void) throws(SystemCallError) -> [ScannedFile] {
        var files: [ScannedFile] = []
        var directories = [root]
        while let dir = directories.popLast() {
            let entries: [DirectoryEntry]
            do {
                entries = try DirectoryListing.entries(of: dir, followLink: dir == root)
            } catch {
                if dir == root { throw error }
                onError(error)
                continue
            }
            for entry in entries {
                let path = dir + "/" + entry.name
                switch entry.kind {
                case .file(let size, let mtimeNs):
                    if !filter.skips(name: entry.name, path: path, root: root) {
                        files.append(ScannedFile(path: path, size: size, mtimeNs: mtimeNs))
                    }
                case .directory:
                    if !filter.skips(name: entry.name, path: path, root: root) { directories.append(path) }
                case .other:
                    continue
                }
            }
        }
        return files
    }

    /// The folder without a trailing slash.
    static func normalized(_ folder: String) -> String {
        var folder = folder
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        return folder
    }
}
