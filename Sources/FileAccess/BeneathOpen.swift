import CLinux
import Glibc
import Synchronization

/// Opens paths inside a folder without ever following a symbolic link below it.
///
/// The folder itself (`root`) is opened as given: it comes from the configuration and may be a link.
/// Below it every component must be a real directory and the last one must not be a link, so a writer
/// who swaps a photo or a subfolder for a symlink gets `ELOOP`, never the link's target. `openat2` with
/// `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS` does it in one call; where the kernel
/// or a seccomp filter refuses that call, a walk opens one component at a time with `O_NOFOLLOW`.
public enum BeneathOpen {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var errno: Int32

        public init(path: String, errno: Int32) {
            self.path = path
            self.errno = errno
        }

        /// True when a symbolic link (or a path leaving the folder) was refused.
        public var isLink: Bool { errno == ELOOP || errno == EXDEV }

        public var description: String {
            switch errno {
            case ELOOP: "\(path) is a symbolic link, or lies under one, and links in watched folders are never followed"
            case EXDEV: "\(path) is not inside its folder"
            default: "cannot open \(path): \(String(cString: strerror(errno)))"
            }
        }
    }

    /// How opens are made: `.automatic` uses `openat2` while the kernel accepts it; `.walk` always walks
    /// (the fallback, chosen explicitly by tests).
    public enum Method: Sendable { case automatic, walk }

    /// False once `openat2` answered ENOSYS or EPERM: every later open walks.
    private static let kernelHasOpenat2 = Atomic<Bool>(true)

    /// Opens `path`, an absolute path inside `root` (or `root` itself), with `flags` (`O_CLOEXEC` and
    /// `O_NOFOLLOW` are added). Returns the descriptor, which the caller closes.
    public static func open(_ path: String, beneath root: String, flags: Int32, method: Method = .automatic) throws(Failure) -> Int32 {
        guard let components = relativeComponents(of: path, under: root) else { throw Failure(path: path, errno: EXDEV) }
        let rootDescriptor = PathBytes.withCString(root) { Glibc.open($0, ds_o_path() | O_DIRECTORY | O_CLOEXEC) }
        guard rootDescriptor >= 0 else { throw Failure(path: root, errno: errno) }
        defer { close(rootDescriptor) }
        let finalFlags = flags | O_CLOEXEC | O_NOFOLLOW
        if components.isEmpty {
            return try check(openat(rootDescriptor, ".", flags | O_CLOEXEC), path: path)
        }
        if method == .automatic, kernelHasOpenat2.load(ordering: .relaxed) {
            let descriptor = PathBytes.withCString(components.joined(separator: "/")) {
                ds_openat2_beneath(rootDescriptor, $0, finalFlags)
            }
            if descriptor >= 0 { return descriptor }
            guard errno == ENOSYS || errno == EPERM else { throw Failure(path: path, errno: errno) }
            kernelHasOpenat2.store(false, ordering: .relaxed)
        }
        return try walk(components, from: rootDescriptor, flags: finalFlags, path: path)
    }

    /// The components of `path` below `root`, nil when `path` is not inside it or names `..`.
    static func relativeComponents(of path: String, under root: String) -> [String]? {
        let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        if path == base { return [] }
        let prefix = base == "/" ? "/" : base + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let components = path.dropFirst(prefix.count).split(separator: "/").map(String.init).filter { $0 != "." }
        guard !components.contains("..") else { return nil }
        return components
    }

    /// Opens each directory below `start` with `O_PATH | O_NOFOLLOW` (a link opens as itself and is refused
    /// by its type), then the last component with `flags`.
    private static func walk(_ components: [String], from start: Int32, flags: Int32, path: String) throws(Failure) -> Int32 {
        var current = start
        defer { if current != start { close(current) } }
        for component in components.dropLast() {
            let next = PathBytes.withCString(component) { openat(current, $0, ds_o_path() | O_NOFOLLOW | O_CLOEXEC) }
            guard next >= 0 else { throw Failure(path: path, errno: errno) }
            var info = stat()
            let type = fstat(next, &info) == 0 ? info.st_mode & S_IFMT : 0
            if current != start { close(current) }
            current = next
            guard type == S_IFDIR else { throw Failure(path: path, errno: type == S_IFLNK ? ELOOP : ENOTDIR) }
        }
        let last = PathBytes.withCString(components[components.count - 1]) { openat(current, $0, flags) }
        return try check(last, path: path)
    }

    private static func check(_ descriptor: Int32, path: String) throws(Failure) -> Int32 {
        guard descriptor >= 0 else { throw Failure(path: path, errno: errno) }
        return descriptor
    }
}

extension BeneathOpen {
    /// A second, independent open of the file behind `descriptor` (its own offset, so two readers cannot
    /// disturb each other), made through `/proc/self/fd`, which names that very file, not a path.
    /// Returns -1 with errno when /proc is not mounted.
    public static func reopen(_ descriptor: Int32, flags: Int32) -> Int32 {
        Glibc.open("/proc/self/fd/\(descriptor)", flags | O_CLOEXEC)
    }
}
