import Foundation

/// What one batch's lines came to, once all were computed.
struct BatchResults: Sendable {
    var successful: Int
    var failed: Int
    /// When the last line was done (emulator clock).
    var finishTime: Date
    /// Inline input: one `{"response"|"error", "metadata"}` per request, in input order.
    var inlined: [WireJSON]?
    /// File input: the JSONL written so far under the file store's scratch path.
    var scratchPath: String?
}

/// One batch as the store keeps it; its state follows from the clock and `BatchTiming`.
struct BatchRecord: Sendable {
    let id: String
    var displayName: String
    /// `models/<id>` as the request named it.
    let model: String
    let createTime: Date
    var priority: Int64?
    /// `files/<id>` of the JSONL input, nil for inline requests.
    let inputFileName: String?
    let requestCount: Int
    /// A state set from outside the clock (cancel, the admin call), with when and why.
    var ended: (state: BatchState, time: Date, message: String?)?
    var results: BatchResults?
    /// `files/batch-<id>` once the results file is stored (file input, SUCCEEDED).
    var responsesFile: String?

    var name: String { "batches/\(id)" }

    /// The state at `now`: PENDING (always at `createTime` itself), then RUNNING, then SUCCEEDED once the time is up and the
    /// results are computed; EXPIRED when still not done after 48 hours.
    func state(at now: Date, timing: BatchTiming) -> BatchState {
        if let ended { return ended.state }
        let elapsed = now.timeIntervalSince(createTime)
        let scheduled = elapsed >= timing.pendingSeconds + timing.runningSeconds
        if scheduled, results != nil { return .succeeded }
        if elapsed >= BatchTiming.expirySeconds { return .expired }
        return elapsed <= 0 || elapsed < timing.pendingSeconds ? .pending : .running
    }

    /// When the batch ended, if it did.
    func endTime(at now: Date, timing: BatchTiming) -> Date? {
        if let ended { return ended.time }
        switch state(at: now, timing: timing) {
        case .succeeded:
            let scheduled = createTime.addingTimeInterval(timing.pendingSeconds + timing.runningSeconds)
            return max(scheduled, results?.finishTime ?? scheduled)
        case .expired:
            return createTime.addingTimeInterval(BatchTiming.expirySeconds)
        default:
            return nil
        }
    }
}
