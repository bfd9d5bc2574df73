/// Splits a path as text, the way the kernel reads it (no normalising, no resolving, no percent-encoding),
/// so a name in `PathBytes` form keeps its exact spelling.
public enum PathText {
    /// Everything before the last `/` (`/` for a file at the root, `.` for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Everything after the last `/`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
