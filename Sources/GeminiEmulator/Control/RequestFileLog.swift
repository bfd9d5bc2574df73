import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Appends request-log entries to a file, one JSON object a line, so the log outlives restarts.
///
/// The file is opened with `O_APPEND` (created 0600), so a later run with the same file adds to it.
/// Lines are written with `write(2)` on a serial queue, never buffered, in the order they are handed over.
final class RequestFileLog: Sendable {
    let path: String
    private let queue = DispatchQueue(label: "gemini-emulator.request-file-log")
    /// The descriptor, -1 once closed; touched only on `queue`.
    private let descriptor: Mutex<Int32>

    init(path: String) throws(EmulatorStartError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EmulatorStartError(message: "Cannot open the request log file \(path): \(String(cString: strerror(errno))).")
        }
        self.path = path
        descriptor = Mutex(fd)
    }

    /// Queues `line` (ending in a newline); `written` runs once it is in the file (or the write failed).
    func append(_ line: Data, written: @escaping @Sendable () -> Void) {
        queue.async {
            self.descriptor.withLock { fd in
                guard fd >= 0 else { return }
                Self.writeAll(line, to: fd)
            }
            written()
        }
    }

    /// Writes what is queued, then closes the file; later lines are ignored.
    func close() {
        queue.sync {
            descriptor.withLock { fd in
                if fd >= 0 { _ = Glibc.close(fd) }
                fd = -1
            }
        }
    }

    private static func writeAll(_ line: Data, to fd: Int32) {
        line.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let written = write(fd, pointer, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                pointer += written
                left -= written
            }
        }
    }
}
