/// `[api] batch` and `[[folder]] batch`: when requests go through the Gemini Batch API (half the price,
/// answered within 24 hours) instead of one `generateContent` call each.
public enum BatchMode: String, Sendable, Equatable, CaseIterable {
    /// Never: every job is sent interactively.
    case off
    /// A backlog of at least `batch_min_jobs` waiting jobs goes by batch; new drops stay interactive.
    case auto
    /// Every job goes by batch; none is sent interactively.
    case always
}

/// The `batch*` keys of `[api]`.
public struct BatchSettings: Sendable, Equatable {
    /// Default `auto`.
    public var mode: BatchMode = .auto
    /// In `auto`, the waiting jobs that make a backlog worth a batch. Default 200.
    public var minJobs: Int = 200
    /// How long to wait between looks at a batch in flight (the wait grows while it runs). Default 60 s.
    public var poll: Duration = .seconds(60)
    /// Requests (job × prompt lines) in one batch. Default 10,000.
    public var maxRequests: Int = 10_000
    /// Bytes of one batch's JSONL input file, well below the service's 2 GB. Default 500 MB.
    public var maxBytes: Int = 500_000_000

    public init() {}
}

extension Configuration {
    /// The batch mode in force for a folder: its own `batch`, else `[api] batch`.
    public func batchMode(of folder: FolderSettings) -> BatchMode { folder.batch ?? api.batch.mode }
}
