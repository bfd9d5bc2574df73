/// Where a batch is in its life; written on the wire as `BATCH_STATE_<raw value>`.
enum BatchState: String, Sendable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"
    case expired = "EXPIRED"

    /// `BATCH_STATE_PENDING`, ... (SDKs rename these `JOB_STATE_*`).
    var wireName: String { "BATCH_STATE_\(rawValue)" }

    /// Whether the batch is over (its Operation is `done`).
    var isDone: Bool { self != .pending && self != .running }

    /// A state named `FAILED`, `BATCH_STATE_FAILED` or `JOB_STATE_FAILED` (any case).
    init?(name: String) {
        let upper = name.uppercased()
        let bare = ["BATCH_STATE_", "JOB_STATE_"].reduce(upper) { $0.hasPrefix($1) ? String($0.dropFirst($1.count)) : $0 }
        self.init(rawValue: bare)
    }
}
