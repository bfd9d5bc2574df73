import FileAccess
import Foundation

extension Intake {
    /// Deletes the temporary files (`.dropsight-tmp-*.tmp`) an earlier process left when it stopped in the
    /// middle of a write, in every folder below `folder` and below its `output_dir`.
    ///
    /// Only files older than this run of the daemon are touched: a write of this run in progress is never disturbed.
    func removeCrashLeftovers(_ folder: String) async {
        guard let f = settings.current.folder(owning: folder) else { return }
        let roots = [f.path] + (f.outputDir.map { [$0] } ?? [])
        let started = startedNs
        let removed = await BlockingWork.run { roots.reduce(0) { $0 + Self.removeTemporaries(under: $1, olderThanNs: started) } }
        if removed > 0 { logger.notice("removed \(removed) temporary file(s) left by an interrupted write below \(f.path)") }
    }

    static func removeTemporaries(under root: String, olderThanNs limit: Int64) -> Int {
        var removed = 0
        var directories = [root]
        while let dir = directories.popLast() {
            guard let handle = PathBytes.withCString(dir, { opendir($0) }) else { continue }
            defer { closedir(handle) }
            let fd = dirfd(handle)
            while let entry = readdir(handle) {
                let name = DirectoryNames.name(of: entry)
                if name == "." || name == ".." { continue }
                if entry.pointee.d_type == UInt8(DT_DIR) {
                    directories.append(dir + "/" + name)
                } else if OutputNames.isTemporary(name) {
                    var st = stat()
                    let isOld =
                        PathBytes.withCString(name) { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) } == 0
                        && (st.st_mode & S_IFMT) == S_IFREG && st.mtimeNs < limit
                    if isOld, PathBytes.withCString(name, { unlinkat(fd, $0, 0) }) == 0 {
                        removed += 1
                    }
                }
            }
        }
        return removed
    }
}
