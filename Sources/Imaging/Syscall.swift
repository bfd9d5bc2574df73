import Glibc

/// The system calls this module makes, each retried on `EINTR` and failing with `ImagingError(.io)`.
enum Syscall {
    static func open(_ path: String, flags: Int32) throws -> Int32 {
        try retrying(path: path, "cannot open") { Glibc.open(path, flags) }
    }

    static func fstat(_ fd: Int32, path: String) throws -> stat {
        var info = stat()
        _ = try retrying(path: path, "cannot stat") { Glibc.fstat(fd, &info) }
        return info
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    static func pread(_ fd: Int32, count: Int, offset: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try bytes.withUnsafeMutableBytes { raw in
                try retrying(path: path, "cannot read") {
                    Glibc.pread(fd, raw.baseAddress! + filled, count - filled, off_t(offset + filled))
                }
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    static func rewind(_ fd: Int32, path: String) throws {
        _ = try retrying(path: path, "cannot seek") { lseek(fd, 0, SEEK_SET) }
    }

    static func close(_ fd: Int32) {
        // Linux closes the descriptor even when close reports EINTR, so it is never retried.
        _ = Glibc.close(fd)
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func retrying<T: BinaryInteger>(path: String, _ what: String, _ call: () -> T) throws -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw ImagingError(.io, path: path, "\(what): \(errorText(code))", errno: code)
        }
    }
}
