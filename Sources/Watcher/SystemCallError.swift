import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call, with the call, its errno and the path it concerned.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C function, e.g. `inotify_add_watch`.
    public var call: String
    public var errno: Errno
    public var path: String?

    public var description: String {
        var text = "\(call)"
        if let path { text += " \(path)" }
        text += " failed: \(errno) (errno \(errno.rawValue))"
        if call.hasPrefix("inotify_init") && (errno == .tooManyOpenFiles || errno == .tooManyOpenFilesInSystem) {
            text += "; raise the per-user inotify instance limit: sysctl fs.inotify.max_user_instances=1024"
        }
        return text
    }

    /// Runs `body`, a C call swift-system does not wrap, until it does not fail with `EINTR`;
    /// `-1` becomes an error naming `call` and `path`.
    static func retrying<T: FixedWidthInteger>(_ call: String, path: String? = nil, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Errno(rawValue: Glibc.errno)
            if code != .interrupted { throw SystemCallError(call: call, errno: code, path: path) }
        }
    }

    /// Runs `body`, a swift-system call (which retries `EINTR` itself), naming `call` and `path` in the `Errno` it throws.
    static func naming<T>(_ call: String, path: String? = nil, _ body: () throws -> T) throws(SystemCallError) -> T {
        do {
            return try body()
        } catch let code as Errno {
            throw SystemCallError(call: call, errno: code, path: path)
        } catch {
            // swift-system only throws `Errno`; anything else is reported as an I/O error, never a crash.
            throw SystemCallError(call: call, errno: .ioError, path: path)
        }
    }
}
