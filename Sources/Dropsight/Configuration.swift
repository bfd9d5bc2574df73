import Foundation

/// The whole effective configuration, after defaults. Built by `ConfigLoader`; never holds the API key itself.
public struct Configuration: Sendable, Equatable {
    public var api: APISettings
    public var state: StateSettings
    public var images: ImageSettings
    public var folders: [FolderSettings]
    public var prompts: [String: PromptSettings]
    /// The file it was read from, for messages.
    public var sourcePath: String
}

/// `[api]`: where and how to talk to Gemini.
public struct APISettings: Sendable, Equatable {
    /// Default `https://generativelanguage.googleapis.com`.
    public var baseURL: String = "https://generativelanguage.googleapis.com"
    /// Default model for prompts that name none. Default `gemini-2.5-flash`.
    public var model: String = "gemini-2.5-flash"
    /// A file holding the API key (0600). `GEMINI_API_KEY` and `$CREDENTIALS_DIRECTORY/gemini-api-key` take precedence.
    public var keyFile: String?
    /// `auto` (inline when small and used once, else Files API), `inline` or `files`.
    public var transport: TransportPolicy = .auto
    /// Largest whole request sent inline, counting base64 growth. Default 20 MB.
    public var inlineMaxBytes: Int = 20_000_000
    /// Reuse an uploaded file only when it has at least this much life left. Default 1 h.
    public var fileReuseMargin: Duration = .seconds(3600)
    /// Delete uploads as soon as an image's prompts are done. Default false (reuse wins).
    public var deleteAfterUse: Bool = false
    /// Requests in flight at once. Default 4.
    public var maxConcurrency: Int = 4
    /// 0 means no limit. Default 0.
    public var requestsPerMinute: Int = 0
    /// 0 means no limit. Default 0.
    public var tokensPerMinute: Int = 0
    /// Attempts per job before it fails for good. Default 8.
    public var maxAttempts: Int = 8
    /// Whole-request timeout. Default 300 s.
    public var requestTimeout: Duration = .seconds(300)

    public init() {}
}

public enum TransportPolicy: String, Sendable, Equatable, CaseIterable { case auto, inline, files }

/// `[state]`: where the database lives.
public struct StateSettings: Sendable, Equatable {
    /// Directory for `dropsight.sqlite3`. Default: `$STATE_DIRECTORY`, else `/var/lib/dropsight` as root, else `$XDG_STATE_HOME/dropsight`.
    public var dir: String
    /// Seconds given to requests in flight at stop. Default 20 s (shorter than the unit's TimeoutStopSec=30).
    public var shutdownGrace: Duration = .seconds(20)
}

/// `[images]`: guards for image preparation.
public struct ImageSettings: Sendable, Equatable {
    /// Images above this many pixels are refused before decoding. Default 100 megapixels.
    public var maxPixels: Int = 100_000_000
    public init() {}
}

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

/// What a prompt asks for and how its reply is read.
public enum PromptKind: String, Sendable, Equatable, CaseIterable { case text, json, detect, segment }

/// One `[prompt.NAME]`.
public struct PromptSettings: Sendable, Equatable {
    public var name: String
    public var kind: PromptKind = .text
    /// The prompt text. Detect and segment prompts have a default from Google's documentation.
    public var text: String
    /// Model for this prompt; defaults to `[api] model`.
    public var model: String?
    /// System instruction.
    public var system: String?
    public var temperature: Double?
    /// Default 0 for detect and segment (Google's advice for spatial prompts), else unset.
    public var thinkingBudget: Int?
    public var maxOutputTokens: Int?
    /// `low`, `medium` or `high` → `MEDIA_RESOLUTION_*`.
    public var mediaResolution: String?
    /// What to send: `auto` (no more pixels than the model uses), `original`, or a long-side cap.
    public var resolution: ResolutionSetting = .auto
    /// JSON Schema for `json` prompts, sent as `responseJsonSchema`.
    public var schemaJSON: String?
    /// Reference images sent before the image, for comparisons.
    public var references: [String] = []
    /// Also send the previous image of the same folder (before/after).
    public var withPrevious: Bool = false
    /// Mask binarisation threshold, 0-255. Default 127.
    public var maskThreshold: Int = 127
    /// Also write one binary mask PNG per segment.
    public var writeMasks: Bool = false
    /// Long side of overlay PNGs. Default 2048.
    public var overlayMaxSide: Int = 2048
}

public enum ResolutionSetting: Sendable, Hashable {
    case auto, original
    case maxSide(Int)

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .original: return "original"
        case let .maxSide(n): return String(n)
        }
    }
}
