#if canImport(Glibc)
import Glibc
#endif

/// Every system call the watcher makes: retries `EINTR`, turns failures into ``SystemCallError``.
enum Syscalls {
    /// Calls `body` until it does not fail with EINTR; -1 becomes a thrown error carrying errno.
    static func retrying<T: FixedWidthInteger>(_ call: String, path: String? = nil, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Errno(rawValue: errno)
            if code == .interrupted { continue }
            throw SystemCallError(call: call, errno: code, path: path)
        }
    }

    /// `inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`.
    static func inotifyInit() throws(SystemCallError) -> Int32 {
        try retrying("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// `inotify_add_watch`; returns the watch descriptor.
    static func addWatch(_ fd: Int32, path: String, mask: UInt32) throws(SystemCallError) -> Int32 {
        try retrying("inotify_add_watch", path: path) { inotify_add_watch(fd, path, mask) }
    }

    /// `inotify_rm_watch`; a watch the kernel already dropped is not an error.
    static func removeWatch(_ fd: Int32, _ wd: Int32) {
        _ = try? retrying("inotify_rm_watch") { inotify_rm_watch(fd, wd) }
    }

    /// A non-blocking, close-on-exec pipe: (read end, write end).
    static func pipe() throws(SystemCallError) -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        _ = try retrying("pipe") { Glibc.pipe(&fds) }
        for fd in fds {
            _ = try retrying("fcntl") { fcntl(fd, F_SETFL, O_NONBLOCK) }
            _ = try retrying("fcntl") { fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }

    /// `read`; returns 0 when a non-blocking descriptor has nothing to read.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        do {
            return try retrying("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        } catch where error.errno == .wouldBlock {
            return 0
        }
    }

    /// Writes one byte (a wake-up); a full pipe already holds a wake-up, so EAGAIN is fine.
    static func writeByte(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = try? retrying("write") { Glibc.write(fd, &byte, 1) }
    }

    /// `poll`; `timeoutMs` -1 waits forever. Returns the descriptors' `revents`.
    static func poll(_ fds: [Int32], timeoutMs: Int32) throws(SystemCallError) -> [Int16] {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = try retrying("poll") { Glibc.poll(&entries, nfds_t(entries.count), timeoutMs) }
        return entries.map(\.revents)
    }

    static func close(_ fd: Int32) {
        // Linux closes the descriptor even when close reports EINTR: never retry.
        _ = Glibc.close(fd)
    }

    /// `lstat`: never follows a final symlink.
    static func lstat(_ path: String) throws(SystemCallError) -> Glibc.stat {
        var info = Glibc.stat()
        _ = try retrying("lstat", path: path) { Glibc.lstat(path, &info) }
        return info
    }

    /// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
    static func statEntry(in dir: Int32, name: UnsafePointer<CChar>, path: @autoclosure () -> String) throws(SystemCallError) -> Glibc.stat {
        var info = Glibc.stat()
        while fstatat(dir, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
            let code = Errno(rawValue: errno)
            if code != .interrupted { throw SystemCallError(call: "fstatat", errno: code, path: path()) }
        }
        return info
    }

    /// Opens a directory for listing; with `followLink` false a symlink is refused (ELOOP).
    static func openDirectory(_ path: String, followLink: Bool) throws(SystemCallError) -> OpaquePointer {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW)
        let fd = try retrying("open", path: path) { open(path, flags) }
        guard let dir = fdopendir(fd) else {
            let code = Errno(rawValue: errno)
            close(fd)
            throw SystemCallError(call: "fdopendir", errno: code, path: path)
        }
        return dir
    }
}

extension stat {
    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }
    /// Modification time in nanoseconds since 1970.
    var mtimeNs: Int64 { Int64(st_mtim.tv_sec) * 1_000_000_000 + Int64(st_mtim.tv_nsec) }
}
