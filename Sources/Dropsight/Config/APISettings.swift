/// `[api]`: where and how to talk to Gemini.
public struct APISettings: Sendable, Equatable {
    /// Default `https://generativelanguage.googleapis.com`.
    public var baseURL: String = "https://generativelanguage.googleapis.com"
    /// Default model for prompts that name none. Default ``ModelCatalog/defaultModel``.
    public var model: String = ModelCatalog.defaultModel
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
    /// Long-side caps for `resolution = "auto"` on models whose image cost does not grow with pixels.
    public var autoMaxSide = AutoSideCaps()
    /// `batch`, `batch_min_jobs`, `batch_poll`, `batch_max_requests`, `batch_max_bytes`.
    public var batch = BatchSettings()

    public init() {}
}

public enum TransportPolicy: String, Sendable, Equatable, CaseIterable { case auto, inline, files }
