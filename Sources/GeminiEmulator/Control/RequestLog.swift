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
    /// Request headers, names lowercased, `x-goog-api-key` replaced by `REDACTED`.
    var headers: [(String, String)]
    /// Kinds of the prompt's parts in order: `text`, `inlineData`, `fileData`, ...
    var partKinds: [String] = []
    /// The prompt's text parts joined with newlines.
    var promptText: String?
    /// Request body size in bytes.
    var bytes: Int64 = 0
    var model: String?
    /// `X-Goog-Upload-Offset`, if sent.
    var offset: Int64?
    /// The fault-script action applied, if any.
    var fault: String?

    var json: JSONValue {
        .compactObject([
            ("time", .string(Timestamp.rfc3339(time))),
            ("method", .string(method)),
            ("path", .string(path)),
            ("query", query.map(JSONValue.string)),
            ("command", command.map(JSONValue.string)),
            ("status", .int(Int64(status))),
            ("headers", .object(headers.map { ($0.0, .string($0.1)) })),
            ("partKinds", .array(partKinds.map(JSONValue.string))),
            ("promptText", promptText.map(JSONValue.string)),
            ("bytes", .int(bytes)),
            ("model", model.map(JSONValue.string)),
            ("offset", offset.map { .int($0) }),
            ("fault", fault.map(JSONValue.string)),
        ])
    }

    /// `key=...` in a query string with its value hidden.
    static func redactQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item in
            item.hasPrefix("key=") ? "key=REDACTED" : String(item)
        }.joined(separator: "&")
    }
}

/// The requests received since start or the last reset, oldest first (at most 10,000 kept).
final class RequestLog: Sendable {
    private let entries = Mutex<[LoggedRequest]>([])
    private static let capacity = 10_000

    func append(_ entry: LoggedRequest) {
        entries.withLock { list in
            list.append(entry)
            if list.count > Self.capacity { list.removeFirst(list.count - Self.capacity) }
        }
    }

    var all: [LoggedRequest] {
        entries.withLock { $0 }
    }

    func clear() {
        entries.withLock { $0.removeAll() }
    }
}
