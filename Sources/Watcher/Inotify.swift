import FileAccess
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// An inotify instance: non-blocking, close-on-exec, closed by its owner with ``close()``.
struct Inotify: Sendable {
    let descriptor: FileDescriptor

    /// `inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`.
    init() throws(SystemCallError) {
        descriptor = FileDescriptor(
            rawValue: try SystemCallError.retrying("inotify_init1") {
                inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            })
    }

    /// `inotify_add_watch`; returns the watch descriptor.
    func addWatch(_ path: String, mask: UInt32) throws(SystemCallError) -> Int32 {
        try SystemCallError.retrying("inotify_add_watch", path: path) {
            PathBytes.withCString(path) { inotify_add_watch(descriptor.rawValue, $0, mask) }
        }
    }

    /// `inotify_rm_watch`; a watch the kernel already dropped is not an error.
    func removeWatch(_ wd: Int32) {
        _ = try? SystemCallError.retrying("inotify_rm_watch") { inotify_rm_watch(descriptor.rawValue, wd) }
    }

    /// Reads queued events into `buffer`; returns 0 when none are queued.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        do {
            return try SystemCallError.naming("read") { try descriptor.read(into: buffer) }
        } catch  where error.errno == .wouldBlock {
            return 0
        }
    }

    /// Closes the instance, which drops its watches.
    func close() {
        // Linux releases the descriptor even when close fails, so a failure leaves nothing to do.
        try? descriptor.close()
    }
}
