#if canImport(Glibc)
import Glibc
#endif

/// A C error number (`errno`).
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    static let interrupted = Errno(rawValue: EINTR)
    static let wouldBlock = Errno(rawValue: EAGAIN)
    static let noSpace = Errno(rawValue: ENOSPC)
    static let noEntry = Errno(rawValue: ENOENT)
    static let notDirectory = Errno(rawValue: ENOTDIR)
    static let tooManyLinks = Errno(rawValue: ELOOP)

    public var description: String { String(cString: strerror(rawValue)) }
}

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
        if call.hasPrefix("inotify_init") && (errno.rawValue == EMFILE || errno.rawValue == ENFILE) {
            text += "; raise the per-user inotify instance limit: sysctl fs.inotify.max_user_instances=1024"
        }
        return text
    }
}
