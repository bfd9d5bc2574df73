import FileAccess
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes output files inside one directory, atomically and without ever following a planted symlink.
///
/// Names are single path components (no `/`, not `.` or `..`). Each write goes to a hidden temporary file
/// created with `O_CREAT|O_EXCL|O_NOFOLLOW` relative to the directory's descriptor, is fsynced, then
/// renamed over the final name (rename replaces a symlink there instead of following it), and the
/// directory is fsynced so the rename survives a crash. The directory itself is opened beneath `root`
/// (the watched folder or `output_dir`) without following a link, so a subfolder swapped for a symlink
/// is refused (`ELOOP`) instead of receiving outputs in the link's target.
public struct SafeOutput: Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var errno: Int32
        public var operation: String
        public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
        /// Out of space or quota: worth retrying later rather than failing the image.
        public var isDiskFull: Bool { errno == ENOSPC || errno == EDQUOT }
    }

    public let directory: String
    /// The trusted folder `directory` lies in; nil: `directory` is trusted as a whole.
    public let root: String?

    public init(directory: String, root: String? = nil) {
        self.directory = directory
        self.root = root
    }

    /// The directory's descriptor (`O_PATH` is not enough: it is fsynced), or -1 with errno.
    private func openDirectory() -> Int32 {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC
        guard let root, directory == root || directory.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            return PathBytes.withCString(directory) { open($0, flags) }
        }
        do {
            return try BeneathOpen.open(directory, beneath: root, flags: flags)
        } catch {
            errno = error.errno
            return -1
        }
    }

    /// The file `name` in the directory: nil when it (or the directory) is missing, or it is a symlink or not
    /// a regular file (a FIFO is not waited on); throws `EFBIG` when it is over `limit` bytes, and the failure
    /// for anything else that keeps it from being read.
    public func read(name: String, limit: Int) throws(Failure) -> Data? {
        guard Self.isPlainName(name) else { return nil }
        let dirfd = openDirectory()
        guard dirfd >= 0 else {
            if errno == ENOENT { return nil }
            throw Failure(path: directory, errno: errno, operation: "open folder")
        }
        defer { close(dirfd) }
        let path = directory + "/" + name
        let fd = PathBytes.withCString(name) { openat(dirfd, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else {
            if errno == ENOENT || errno == ELOOP { return nil }
            throw Failure(path: path, errno: errno, operation: "open")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        guard Int(info.st_size) <= limit else { throw Failure(path: path, errno: EFBIG, operation: "read") }
        do {
            return try handle.read(upToCount: limit) ?? Data()
        } catch {
            throw Failure(path: path, errno: EIO, operation: "read")
        }
    }

    public func write(_ data: Data, name: String, mode: mode_t = 0o644) throws(Failure) {
        guard Self.isPlainName(name) else { throw Failure(path: directory + "/" + name, errno: EINVAL, operation: "write") }
        let dirfd = openDirectory()
        guard dirfd >= 0 else { throw Failure(path: directory, errno: errno, operation: "open folder") }
        defer { close(dirfd) }
        let temp = OutputNames.temporary()
        let fd = openat(dirfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: directory + "/" + temp, errno: errno, operation: "create") }
        var failure: Failure? = nil
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(path: directory + "/" + name, errno: errno, operation: "write")
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = Failure(path: directory + "/" + name, errno: errno, operation: "fsync") }
        close(fd)
        if failure == nil, PathBytes.withCString(name, { renameat(dirfd, temp, dirfd, $0) }) != 0 {
            failure = Failure(path: directory + "/" + name, errno: errno, operation: "rename into place")
        }
        if let failure {
            unlinkat(dirfd, temp, 0)
            throw failure
        }
        fsync(dirfd)
    }

    /// Removes `name` from the directory if it is there (never following a symlink).
    public func remove(name: String) {
        guard Self.isPlainName(name) else { return }
        let dirfd = openDirectory()
        guard dirfd >= 0 else { return }
        _ = PathBytes.withCString(name) { unlinkat(dirfd, $0, 0) }
        close(dirfd)
    }

    /// The names in the directory (empty when it cannot be read).
    public func names() -> [String] {
        let dirfd = openDirectory()
        guard dirfd >= 0 else { return [] }
        defer { close(dirfd) }
        return DirectoryNames.names(inDirectory: dirfd) ?? []
    }

    /// Creates the directory when it is a mirror under `output_dir` that does not exist yet.
    public func createFolderIfNeeded() throws(Failure) {
        guard !PathBytes.exists(directory, followingLinks: true) else { return }
        var path = ""
        for component in directory.split(separator: "/") {
            path += "/" + component
            guard PathBytes.withCString(path, { mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                throw Failure(path: path, errno: errno, operation: "create folder")
            }
        }
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0") && PathBytes.byteCount(name) <= 255
    }
}
