import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Thin POSIX file helpers for the store: positional writes, truncation, chunked reads.
///
/// Only called from the `FileStore` actor, whose executor is a private queue.
enum DiskFile {
    /// Writes all of `bytes` at `offset`, creating the file if needed; retries EINTR and short writes.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, at offset: Int64) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            done += n
        }
    }

    static func truncate(_ path: String, to length: Int64) throws(StoreError) {
        if !FileManager.default.fileExists(atPath: path) {
            guard length == 0 else { throw ioError("truncate", path) }
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return
        }
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw ioError("truncate", path) }
    }

    /// Calls `body` with successive pieces of the file, each at most `chunk` bytes.
    static func forEachChunk(of path: String, chunk: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) -> Void) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("read", path)
            }
            if n == 0 { return }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    private static func ioError(_ operation: String, _ path: String) -> StoreError {
        StoreError(code: .io, message: "Cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
