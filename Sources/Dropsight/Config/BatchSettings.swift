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
