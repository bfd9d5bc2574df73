import Foundation
import JSONModel

/// A batch of the Batch API, read from the long-running Operation the service answers with.
///
/// The service writes `metadata.state` as `BATCH_STATE_*`, the SDKs and docs as `JOB_STATE_*`: both
/// are read. Output is read from `response.*` (docs sample) or `metadata.output.*` (raw Operations).
public struct BatchJob: Decodable, Sendable, Equatable {
    /// Where a batch is in its life.
    public enum State: String, Sendable, CaseIterable {
        case unspecified = "UNSPECIFIED"
        case pending = "PENDING"
        case running = "RUNNING"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
        case cancelled = "CANCELLED"
        case expired = "EXPIRED"

        /// `BATCH_STATE_X` or `JOB_STATE_X`; an unknown name reads as `unspecified`.
        public init(wireName: String) {
            let bare = ["BATCH_STATE_", "JOB_STATE_"].reduce(wireName) { $0.hasPrefix($1) ? String($0.dropFirst($1.count)) : $0 }
            self = State(rawValue: bare) ?? .unspecified
        }

        /// True once the batch can change no more.
        public var isDone: Bool { [.succeeded, .failed, .cancelled, .expired].contains(self) }
    }

    /// `batches/{id}`.
    public var name: String
    public var displayName: String?
    /// `models/{id}`.
    public var model: String?
    public var state: State
    /// The state as the service spelled it.
    public var stateName: String?
    public var createTime: Date?
    public var updateTime: Date?
    public var endTime: Date?
    public var stats: BatchStats
    /// `files/batch-{id}`: the JSONL results of a file batch, once it succeeded.
    public var responsesFile: String?
    /// The answers of an inline batch, in request order, once it succeeded (never in `batches.list`).
    public var inlinedResponses: [InlinedBatchResponse]?
    /// Why the batch failed (`error` of the Operation).
    public var error: BatchStatus?
    /// The Operation's `done`.
    public var done: Bool

    private enum Keys: String, CodingKey {
        case name, metadata, done, error, response
        case displayName, model, state, createTime, updateTime, endTime, batchStats, output
    }

    private enum OutputKeys: String, CodingKey { case responsesFile, inlinedResponses }
    private enum InlinedKeys: String, CodingKey { case inlinedResponses }

    public init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: Keys.self)
        // The job's fields live under `metadata`; a bare GenerateContentBatch carries them at the top.
        let job = (try? top.nestedContainer(keyedBy: Keys.self, forKey: .metadata)) ?? top
        name = try top.decodeIfPresent(String.self, forKey: .name) ?? job.decode(String.self, forKey: .name)
        displayName = try? job.decodeIfPresent(String.self, forKey: .displayName)
        model = try? job.decodeIfPresent(String.self, forKey: .model)
        stateName = try? job.decodeIfPresent(String.self, forKey: .state)
        state = stateName.map(State.init(wireName:)) ?? .unspecified
        createTime = (try? job.decodeIfPresent(String.self, forKey: .createTime)).flatMap { $0.flatMap(RFC3339.parse) }
        updateTime = (try? job.decodeIfPresent(String.self, forKey: .updateTime)).flatMap { $0.flatMap(RFC3339.parse) }
        endTime = (try? job.decodeIfPresent(String.self, forKey: .endTime)).flatMap { $0.flatMap(RFC3339.parse) }
        stats = (try? job.decodeIfPresent(BatchStats.self, forKey: .batchStats)) ?? BatchStats()
        error = try? top.decodeIfPresent(BatchStatus.self, forKey: .error)
        done = (try? top.decodeIfPresent(Bool.self, forKey: .done)) ?? false
        for outputs in [
            try? top.nestedContainer(keyedBy: OutputKeys.self, forKey: .response),
            try? job.nestedContainer(keyedBy: OutputKeys.self, forKey: .output),
        ].compactMap({ $0 }) {
            responsesFile = responsesFile ?? (try? outputs.decodeIfPresent(String.self, forKey: .responsesFile)) ?? nil
            if inlinedResponses == nil, let inlined = try? outputs.nestedContainer(keyedBy: InlinedKeys.self, forKey: .inlinedResponses) {
                inlinedResponses = try inlined.decodeIfPresent([InlinedBatchResponse].self, forKey: .inlinedResponses)
            }
        }
    }
}

/// `batchStats`: int64 counts, sent as strings; absent counts are 0.
public struct BatchStats: Decodable, Sendable, Equatable {
    public var requestCount: Int64 = 0
    public var successfulRequestCount: Int64 = 0
    public var failedRequestCount: Int64 = 0
    public var pendingRequestCount: Int64 = 0

    public init() {}

    private enum Keys: String, CodingKey { case requestCount, successfulRequestCount, failedRequestCount, pendingRequestCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        requestCount = Int64(try c.flexibleInt(.requestCount) ?? 0)
        successfulRequestCount = Int64(try c.flexibleInt(.successfulRequestCount) ?? 0)
        failedRequestCount = Int64(try c.flexibleInt(.failedRequestCount) ?? 0)
        pendingRequestCount = Int64(try c.flexibleInt(.pendingRequestCount) ?? 0)
    }
}

/// A `google.rpc.Status`: what failed, for a whole batch or one of its requests.
public struct BatchStatus: Decodable, Sendable, Equatable {
    /// The HTTP status in result lines, the gRPC code number in an Operation's `error`.
    public var code: Int?
    public var message: String?
    /// The `google.rpc.Code` name, e.g. `PERMISSION_DENIED`, when sent.
    public var status: String?
}

/// One answer of an inline batch: the response or the error, with the request's metadata.
public struct InlinedBatchResponse: Decodable, Sendable, Equatable {
    public var response: GenerateContentResponse?
    public var error: BatchStatus?
    public var metadata: JSONValue?

    /// `metadata.key`, when the request carried one as a string.
    public var key: String? {
        guard case .string(let key)? = metadata?["key"] else { return nil }
        return key
    }
}

/// One line of a batch's results file: `{"response": {...}, "key": "..."}` or `{"error": {...}, "key": "..."}`.
public struct BatchResultLine: Decodable, Sendable, Equatable {
    public var key: String?
    public var response: GenerateContentResponse?
    public var error: BatchStatus?
}
