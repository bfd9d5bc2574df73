/// One folder to watch.
public struct WatchSpec: Sendable, Hashable {
    /// The folder; everything below it is watched.
    public var path: String
    /// Quiet time after the last write before a file is reported (default 1000 ms).
    public var settle: Duration
    /// fnmatch globs to ignore: without `/` matched against names, with `/` against the path below `path`.
    public var ignoreGlobs: [String]

    public init(path: String, settle: Duration = .milliseconds(1000), ignoreGlobs: [String] = []) {
        self.path = FolderScanner.normalized(path)
        self.settle = settle
        self.ignoreGlobs = ignoreGlobs
    }
}

/// What the watcher reports.
public enum FileEvent: Sendable, Equatable {
    /// A regular file was written or moved in and has been quiet for the settle time.
    case ready(path: String, folder: String)
    /// A file or a whole directory (everything below `path`) was deleted or moved away.
    case removed(path: String, folder: String)
    /// Events may have been missed, or watching (re)started: list `folder` again (``FolderScanner``).
    ///
    /// Sent once for every folder as soon as its watches are in place (`reason` "watching started"),
    /// so a scan started then misses nothing; again after a queue overflow, a failed watch, the
    /// folder coming back after it vanished, or the switch to periodic scans.
    case rescan(folder: String, reason: String)
}
