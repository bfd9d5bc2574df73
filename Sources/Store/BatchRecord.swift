import Foundation

/// Where a batch submission is, as recorded before and after each step.
public enum BatchPhase: String, Sendable, Codable, CaseIterable {
    /// Jobs chosen; photos being uploaded and the JSONL written and uploaded. Nothing is on the service yet.
    case preparing
    /// The JSONL is uploaded and the create call may be under way: the batch may or may not exist (look it up
    /// by display name before creating it).
    case creating
    /// Created: the service runs it; polled.
    case running
    /// Succeeded: its results file is being downloaded.
    case downloading
    /// Downloaded: its result lines are being mapped back to their jobs.
    case publishing
    /// Over; its jobs were finished or put back.
    case ended
}

/// One batch submission as the Store knows it.
public struct BatchRecord: Sendable, Hashable, Codable {
    public var id: Int64
    /// Unique, chosen before the create call, so a batch whose create answer was lost is found again.
    public var displayName: String
    /// The model every request of the batch is for.
    public var model: String
    public var phase: BatchPhase
    /// `batches/{id}`, once known.
    public var name: String?
    /// `files/{id}`: the uploaded JSONL.
    public var inputFile: String?
    /// `files/{id}`: the results, once the batch succeeded.
    public var resultsFile: String?
    /// Lines of the JSONL (one per job).
    public var requests: Int
    /// Bytes of the JSONL.
    public var bytes: Int64
    /// The service's last reported state, e.g. `BATCH_STATE_RUNNING`.
    public var remoteState: String?
    /// Polls so far (the wait between them grows).
    public var polls: Int
    public var nextPollAt: Date?
    /// How it ended: `succeeded`, `failed`, `cancelled`, `expired`, `abandoned` …
    public var outcome: String?
    public var createdAt: Date
    public var updatedAt: Date
}
