#if canImport(Glibc)
import Glibc
#endif

/// An `errno` value returned by a failed system call.
struct Errno: Error, Equatable {
    let rawValue: Int32
}

/// The one place system calls go through: retries `EINTR`, turns `-1` into ``Errno``.
enum Syscall {
    /// Runs `call` until it does not fail with `EINTR`.
    static func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) throws(Errno) -> Result {
        while true {
            let result = call()
            if result != -1 { return result }
            let error = Glibc.errno
            if error != EINTR { throw Errno(rawValue: error) }
        }
    }
}
