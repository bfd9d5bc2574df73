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
    /// Also write an XMP sidecar for photo tools (`xmp = true`), named as `xmp_name` says; nil: none.
    public var xmp: XMPNaming?
    /// `batch`: overrides `[api] batch` for this folder (`"always"` for archive folders); nil: as `[api]` says.
    public var batch: BatchMode?
}

/// `xmp_name`: what the XMP sidecar of `IMG.jpg` is called.
public enum XMPNaming: String, Sendable, Hashable, CaseIterable {
    /// `IMG.jpg.xmp`: darktable, digiKam, Immich. The default.
    case full
    /// `IMG.xmp`: Lightroom.
    case basename
}
