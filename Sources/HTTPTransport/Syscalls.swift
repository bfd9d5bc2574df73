#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `errno` value from a failed system call.
struct Errno: Error, Equatable {
    let rawValue: Int32

    /// The C library's text for this error, e.g. "No such file or directory".
    var message: String { String(cString: strerror(rawValue)) }
}

/// The system calls this module makes, each retrying `EINTR` and returning `Errno` on failure.
enum Syscall {
    /// `open(path, O_RDONLY | O_CLOEXEC)`.
    static func openForReading(_ path: String) -> Result<Int32, Errno> {
        retryingInterrupts { open(path, O_RDONLY | O_CLOEXEC) }.map(Int32.init)
    }

    /// The size in bytes of the open file `descriptor` (`fstat`'s `st_size`).
    static func fileSize(_ descriptor: Int32) -> Result<Int64, Errno> {
        var status = stat()
        return retryingInterrupts { fstat(descriptor, &status) }.map { _ in Int64(status.st_size) }
    }

    /// `pread`: up to `buffer.count` bytes from `descriptor` at `offset`; 0 means end of file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Result<Int, Errno> {
        retryingInterrupts { pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// `close`, ignoring `EINTR` (on Linux the descriptor is released even then).
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    private static func retryingInterrupts<Value: BinaryInteger>(_ call: () -> Value) -> Result<Int, Errno> {
        while true {
            let result = call()
            if result >= 0 { return .success(Int(result)) }
            if errno != EINTR { return .failure(Errno(rawValue: errno)) }
        }
    }
}
