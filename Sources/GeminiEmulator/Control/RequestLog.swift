import Foundation
import Synchronization

/// One request as the admin endpoint reports it; the API key is never kept.
struct LoggedRequest: Sendable {
    var time: Date
    var method: String
    /// Path without the query string.
    var path: String
    /// Query string with any `key=` value replaced by `REDACTED`.
    var query: String?
    /// `X-Goog-Upload-Command`, if sent.
    var command: String?
    /// HTTP status answered; 0 when the connection was dropped on purpose.
    var status: Int = 0
    /// Request headers, names lowercased, `x-goog-api-key` and `authorization` replaced by `REDACTED`.
    var headers: [(String, String)]
    /// Kinds of the prompt's parts in order: `text`, `inlineData`, `fileData`, ...
    var partKinds: [String] = []
    /// Lowercase hex SHA-256 of each media part's bytes in order (`missing` for an unknown or
    /// expired file); generateContent, streamGenerateContent and countTokens only.
    var mediaSHA256: [String] = []
    /// The prompt's text parts joined with newlines.
    var promptText: String?
    /// Request body size in bytes.
    var bytes: Int64 = 0
    var model: String?
    /// `X-Goog-Upload-Offset`, if sent.
    var offset: Int64?
    /// The fault-script action applied, if any.
    var fault: String?
    /// The `responseId` of a 200 generateContent or streamGenerateContent answer.
    var responseID: String?
    /// The batch a batch call created (`batches/<id>` of a 200 batchGenerateContent) or named.
    var batch: String?

    var json: WireJSON {
        .compactObject([
            ("time", .string(Timestamp.rfc3339(time))),
            ("method", .string(method)),
            ("path", .string(path)),
            ("query", query.map(WireJSON.string)),
            ("command", command.map(WireJSON.string)),
            ("status", .int(Int64(status))),
            ("headers", .object(headers.map { ($0.0, .string($0.1)) })),
            ("partKinds", .array(partKinds.map(WireJSON.string))),
            ("mediaSHA256", mediaSHA256.isEmpty ? nil : .array(mediaSHA256.map(WireJSON.string))),
            ("promptText", promptText.map(WireJSON.string)),
            ("bytes", .int(bytes)),
            ("model", model.map(WireJSON.string)),
            ("offset", offset.map { .int($0) }),
            ("fault", fault.map(WireJSON.string)),
            ("responseId", responseID.map(WireJSON.string)),
            ("batch", batch.map(WireJSON.string)),
        ])
    }

    /// `key=...` in a query string with its value hidden (any case, percent-encoded names too).
    static func redactQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item in
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let decoded = (name.removingPercentEncoding ?? name).lowercased()
            return decoded == "key" ? "\(name)=REDACTED" : String(item)
        }.joined(separator: "&")
    }

    /// Header names whose values are never logged.
    static let secretHeaders: Set = ["x-goog-api-key", "authorization"]
}

/// The requests received since start or the last reset, oldest first (at most 10,000 kept),
/// also appended to a file when one is given.
final class RequestLog: Sendable {
    private let entries = Mutex<[LoggedRequest]>([])
    private let file: RequestFileLog?
    private static let capacity = 10_000

    init(file: RequestFileLog? = nil) {
        self.file = file
    }

    /// Records `entry`; returns once it is also in the file, so an answered request is on disk.
    func append(_ entry: LoggedRequest) async {
        guard let file else {
            entries.withLock { Self.add(entry, to: &$0) }
            return
        }
        let line = Data((WireJSONWriter.string(entry.json) + "\n").utf8)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Queued under the lock, so the file keeps the in-memory order.
            entries.withLock { list in
                Self.add(entry, to: &list)
                file.append(line) { continuation.resume() }
            }
        }
    }

    private static func add(_ entry: LoggedRequest, to list: inout [LoggedRequest]) {
        list.append(entry)
        if list.count > capacity { list.removeFirst(list.count - capacity) }
    }

    var all: [LoggedRequest] {
        entries.withLock { $0 }
    }

    func clear() {
        entries.withLock { $0.removeAll() }
    }
}
