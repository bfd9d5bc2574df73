import Foundation

/// One configured prompt as the queue sees it.
public struct PromptSpec: Sendable, Hashable {
    public var name: String
    /// A hash of everything that changes the answer (text, model, options).
    public var hash: String

    public init(name: String, hash: String) {
        self.name = name
        self.hash = hash
    }
}

/// The identity of a job: one prompt on one image.
public struct JobKey: Hashable, Sendable {
    public var imagePath: String
    public var prompt: String

    public init(imagePath: String, prompt: String) {
        self.imagePath = imagePath
        self.prompt = prompt
    }
}

/// The life of a job.
public enum JobState: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    case pending, running, done, failed
}

/// A claimed job, handed to a worker.
///
/// `lease` changes every time the job is claimed or re-queued; `complete`, `fail` and `requeue`
/// are ignored when the lease no longer matches (the image changed or was reprocessed meanwhile).
public struct Job: Sendable, Hashable {
    public var id: Int64
    public var lease: Int64
    public var imagePath: String
    public var folder: String
    public var prompt: String
    public var promptHash: String
    public var sha256: String
    /// Failed attempts so far (rate-limit re-queues do not count).
    public var attempts: Int
    public var queuedAt: Date
    /// Abnormal ends of the daemon in a row with this job in flight; above 0 it is a suspect, run alone.
    public var crashes: Int

    public var key: JobKey { JobKey(imagePath: imagePath, prompt: prompt) }
}

/// Why an attempt failed, kept as the job's last error.
public struct JobFailure: Sendable, Hashable, Codable {
    /// A short machine-readable reason, e.g. `http_503`, `timeout`, `blocked`.
    public var code: String
    /// What a person reads in `dropsight status` and in the sidecar.
    public var message: String
    public var httpStatus: Int?

    public init(code: String, message: String, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }
}

/// Token counts of one model call (Gemini `usageMetadata`).
public struct Usage: Sendable, Hashable, Codable {
    public var model: String
    public var promptTokens: Int
    public var outputTokens: Int
    public var thoughtsTokens: Int
    public var totalTokens: Int

    public init(model: String, promptTokens: Int, outputTokens: Int, thoughtsTokens: Int, totalTokens: Int) {
        self.model = model
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.thoughtsTokens = thoughtsTokens
        self.totalTokens = totalTokens
    }
}

/// What the store recorded about an image, for start-up reconciliation without rehashing.
public struct Fingerprint: Sendable, Hashable {
    public var size: Int64
    public var mtimeNs: Int64
    public var sha256: String
    /// Prompt name to the prompt hash of its finished (done or failed) result for the current content.
    public var promptHashes: [String: String]

    public init(size: Int64, mtimeNs: Int64, sha256: String, promptHashes: [String: String]) {
        self.size = size
        self.mtimeNs = mtimeNs
        self.sha256 = sha256
        self.promptHashes = promptHashes
    }

    /// True when the file on disk still matches and every prompt has a finished result for its current hash.
    public func isCurrent(size: Int64, mtimeNs: Int64, prompts: [PromptSpec]) -> Bool {
        guard size == self.size, mtimeNs == self.mtimeNs else { return false }
        return prompts.allSatisfy { promptHashes[$0.name] == $0.hash }
    }
}

/// One recent failure, for `dropsight status`.
public struct FailureReport: Sendable, Hashable, Codable {
    public var imagePath: String
    public var prompt: String
    public var failure: JobFailure
    public var attempts: Int
    public var at: Date
}

/// A summary of the queue, the usage ledger and the uploads.
public struct StoreStatus: Sendable, Hashable, Codable {
    /// Jobs per state; every state is present, zero when none.
    public var counts: [JobState: Int]
    /// When the oldest pending job was queued.
    public var oldestPending: Date?
    /// The last ten jobs that failed for good, newest first.
    public var recentFailures: [FailureReport]
    /// Total tokens since 00:00 UTC today.
    public var tokensToday: Int
    public var tokensTotal: Int
    /// Uploaded files still active and not expired.
    public var uploadsAlive: Int
    public var uploadBytesAlive: Int64
    /// When all work resumes after a daily-quota pause (see ``Store/setPause(until:reason:)``).
    public var pausedUntil: Date?
    public var pauseReason: String?
    /// Account-level holds in force (see ``Store/recordHold(_:)``), the key's first.
    public var holds: [HoldRecord]
}
