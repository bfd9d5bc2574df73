import Foundation
import HTTPTransport

/// The Batch API: create (from a JSONL file or inline requests), get, list, cancel, delete.
///
/// Creating is not idempotent: sending the same create twice makes two batches. A caller that does
/// not know whether a create went through finds it again by its display name (``listBatches(pageSize:pageToken:)``).
extension GeminiClient {
    /// `POST /v1beta/models/{model}:batchGenerateContent` over the JSONL file `inputFile` (`files/{id}`),
    /// one `{"key", "request"}` per line (``BatchInputLine``).
    public func createBatch(
        model: String, displayName: String, inputFile: String, priority: Int64? = nil
    ) async throws(GeminiError) -> BatchJob {
        try await createBatch(
            model: model,
            body: CreateBatchBody(
                batch: .init(
                    displayName: displayName, inputConfig: .init(fileName: Self.filePath(inputFile)),
                    priority: priority.map(String.init))))
    }

    /// `POST /v1beta/models/{model}:batchGenerateContent` with the requests inline (at most 20 MB in all).
    public func createBatch(
        model: String, displayName: String, requests: [InlinedBatchRequest], priority: Int64? = nil
    ) async throws(GeminiError) -> BatchJob {
        try await createBatch(
            model: model,
            body: CreateBatchBody(
                batch: .init(
                    displayName: displayName, inputConfig: .init(requests: .init(requests: requests)),
                    priority: priority.map(String.init))))
    }

    /// `GET /v1beta/batches/{id}`.
    public func batch(name: String) async throws(GeminiError) -> BatchJob {
        try decode(BatchJob.self, from: try await send(method: "GET", path: "/v1beta/\(Self.batchPath(name))"))
    }

    /// `GET /v1beta/batches?pageSize=&pageToken=`, newest first; inline answers are left out.
    public func listBatches(pageSize: Int = 100, pageToken: String? = nil) async throws(GeminiError) -> BatchList {
        var path = "/v1beta/batches?pageSize=\(pageSize)"
        if let token = pageToken, let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            path += "&pageToken=\(escaped)"
        }
        return try decode(BatchList.self, from: try await send(method: "GET", path: path))
    }

    /// `POST /v1beta/batches/{id}:cancel`: the batch ends CANCELLED (a batch already over stays as it is).
    public func cancelBatch(name: String) async throws(GeminiError) {
        _ = try await send(method: "POST", path: "/v1beta/\(Self.batchPath(name)):cancel", json: Data("{}".utf8))
    }

    /// `DELETE /v1beta/batches/{id}`: the batch is forgotten (its results file stays until it expires).
    public func deleteBatch(name: String) async throws(GeminiError) {
        _ = try await send(method: "DELETE", path: "/v1beta/\(Self.batchPath(name))")
    }

    static func batchPath(_ name: String) -> String {
        name.hasPrefix("batches/") ? name : "batches/\(name)"
    }

    private func createBatch(model: String, body: CreateBatchBody) async throws(GeminiError) -> BatchJob {
        let json: Data
        do { json = try JSONEncoder().encode(body) } catch {
            throw GeminiError(code: .malformedResponse, message: "could not encode the batch: \(error)")
        }
        let response = try await naming(model) { () async throws(GeminiError) -> HTTPResponse in
            try await send(method: "POST", path: "/v1beta/\(Self.modelPath(model)):batchGenerateContent", json: json)
        }
        return try decode(BatchJob.self, from: response)
    }
}

/// `batches.list`'s page: Operations, as `batches.get` answers them.
public struct BatchList: Decodable, Sendable {
    public var operations: [BatchJob]?
    public var nextPageToken: String?
}

/// `{"batch": {"displayName", "inputConfig": {"fileName"} | {"requests": {"requests": [...]}}, "priority"}}`.
private struct CreateBatchBody: Encodable {
    struct Batch: Encodable {
        var displayName: String
        var inputConfig: InputConfig
        /// int64, sent as a string.
        var priority: String?
    }

    struct InputConfig: Encodable {
        var fileName: String?
        var requests: Requests?
    }

    struct Requests: Encodable {
        var requests: [InlinedBatchRequest]
    }

    var batch: Batch
}
