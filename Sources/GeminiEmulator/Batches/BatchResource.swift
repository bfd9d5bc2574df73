import Foundation

/// A batch as the service writes it: a long-running Operation with the `GenerateContentBatch`
/// under `metadata` and, once done, the output under `response` (or the failure under `error`).
///
/// The `@type` names carry the service's internal `v1main` package (not in the public proto;
/// gemini-api.md §9).
enum BatchResource {
    static let batchType = "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch"
    static let outputType = "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput"

    /// The Operation; `withInlined` false leaves inline results out, as `batches.list` does.
    static func operation(_ batch: BatchRecord, now: Date, timing: BatchTiming, withInlined: Bool = true) -> WireJSON {
        let state = batch.state(at: now, timing: timing)
        let output = state == .succeeded ? self.output(batch, withInlined: withInlined) : nil
        let endTime = batch.endTime(at: now, timing: timing)
        // Last change: the end, else the start of RUNNING, else the creation.
        let updateTime =
            endTime ?? (state == .running ? batch.createTime.addingTimeInterval(timing.pendingSeconds) : batch.createTime)
        let metadata = WireJSON.compactObject([
            ("@type", .string(batchType)),
            ("model", .string(batch.model)),
            ("displayName", .string(batch.displayName)),
            ("output", output.map { .object($0) }),
            ("createTime", .string(Timestamp.rfc3339(batch.createTime))),
            ("endTime", endTime.map { .string(Timestamp.rfc3339($0)) }),
            ("updateTime", .string(Timestamp.rfc3339(updateTime))),
            ("batchStats", stats(batch, state: state)),
            ("state", .string(state.wireName)),
            ("name", .string(batch.name)),
            ("priority", batch.priority.map { .string(String($0)) }),
        ])
        var error: WireJSON?
        if state == .failed {
            // google.rpc.Status: the numeric gRPC code (13 INTERNAL), not the HTTP status.
            error = .object([
                ("code", .int(13)),
                ("message", .string(batch.ended?.message ?? "The batch failed.")),
            ])
        }
        return .compactObject([
            ("name", .string(batch.name)),
            ("metadata", metadata),
            ("done", state.isDone ? .bool(true) : nil),
            ("error", error),
            ("response", output.map { .object([("@type", .string(outputType))] + $0) }),
        ])
    }

    /// `responsesFile`, or `inlinedResponses.inlinedResponses[]` (nested twice).
    private static func output(_ batch: BatchRecord, withInlined: Bool) -> [(String, WireJSON)]? {
        if let file = batch.responsesFile { return [("responsesFile", .string(file))] }
        guard withInlined, let inlined = batch.results?.inlined else { return nil }
        return [("inlinedResponses", .object([("inlinedResponses", .array(inlined))]))]
    }

    /// int64 counts as strings, zero counts left out (proto3).
    private static func stats(_ batch: BatchRecord, state: BatchState) -> WireJSON {
        func count(_ value: Int) -> WireJSON? { value > 0 ? .string(String(value)) : nil }
        let done = state == .succeeded ? batch.results : nil
        return .compactObject([
            ("requestCount", count(batch.requestCount)),
            ("successfulRequestCount", count(done?.successful ?? 0)),
            ("failedRequestCount", count(done?.failed ?? 0)),
            ("pendingRequestCount", count(done == nil ? batch.requestCount : 0)),
        ])
    }
}
