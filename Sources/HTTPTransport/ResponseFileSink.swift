#if canImport(Glibc)
    import Glibc
#endif

/// Where a transfer writes a 2xx body that goes to disk (``HTTPRequest/responseFile``).
///
/// The file is created (or truncated) at the first byte, or when the transfer ends without one.
/// Used on the loop thread only.
final class ResponseFileSink {
    let path: String
    private var fd: Int32 = -1
    /// What went wrong writing, once something did; the transfer is then aborted.
    private(set) var failure: String?

    init(path: String) {
        self.path = path
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends `bytes`; false (with `failure` set) when the file cannot be opened or written.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard open() else { return false }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = "cannot write the response body to \(path): \(String(cString: strerror(errno)))"
                return false
            }
            done += n
        }
        return true
    }

    /// Creates the file if no byte came yet and closes it; false (with `failure` set) when that fails.
    func finish() -> Bool {
        guard open() else { return false }
        let result = close(fd)
        fd = -1
        if result != 0 {
            failure = "cannot close \(path): \(String(cString: strerror(errno)))"
            return false
        }
        return true
    }

    private func open() -> Bool {
        if fd >= 0 { return true }
        if failure != nil { return false }
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 {
            failure = "cannot create \(path): \(String(cString: strerror(errno)))"
            return false
        }
        return true
    }
}
