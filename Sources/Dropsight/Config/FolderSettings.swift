/// One `[[folder]]`.
public struct FolderSettings: Sendable, Equatable {
    /// Absolute, symlinks resolved.
    public var path: String
    /// Names of `[prompt.NAME]` tables to run on every image.
    public var prompts: [String]
    /// Quiet period before a file counts as complete. Default 1000 ms.
    public var settleMs: Int = 1000
    /// Extra fnmatch globs to ignore.
    public var ignore: [String] = []
    /// Write outputs under this mirror folder instead of beside the image (read-only libraries).
    public var outputDir: String?
}
