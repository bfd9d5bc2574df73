#if canImport(Glibc)
    import Glibc
#endif

/// Decides which names the watcher and the scanner leave alone.
///
/// Always skipped: hidden names (`.*`, which covers dropsight's own temporary files), `~*`,
/// `*.tmp`, `*.part`, `*.crdownload` (any case). Then each ignore glob (fnmatch): a glob without
/// `/` is matched against the name, a glob with `/` against the path relative to the watched
/// folder. Then `skip` with the full path (the daemon's own outputs, an output folder inside the tree).
/// Skipped directories are neither watched nor descended.
struct NameFilter: Sendable {
    var ignoreGlobs: [String]
    var skip: @Sendable (String) -> Bool

    private static let temporarySuffixes = [".tmp", ".part", ".crdownload"]

    func skips(name: String, path: String, root: String) -> Bool {
        if name.hasPrefix(".") || name.hasPrefix("~") { return true }
        let lower = name.lowercased()
        if Self.temporarySuffixes.contains(where: { lower.hasSuffix($0) }) { return true }
        if !ignoreGlobs.isEmpty {
            let relative = path.count > root.count + 1 ? String(path.dropFirst(root.count + 1)) : name
            for glob in ignoreGlobs {
                let matched = glob.contains("/") ? fnmatch(glob, relative, FNM_PATHNAME) == 0 : fnmatch(glob, name, 0) == 0
                if matched { return true }
            }
        }
        return skip(path)
    }
}
