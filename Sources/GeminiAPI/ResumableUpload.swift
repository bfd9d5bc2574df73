import Foundation
import HTTPTransport

/// The resumable upload protocol (`X-Goog-Upload-*`) of `POST /upload/v1beta/files`.
///
/// Chunk requests go to the session URL, which is itself the credential: they carry no API key.
extension GeminiClient {
    /// The upload granularity: every chunk but the last must be a multiple of this.
    public static let uploadGranularity: Int64 = 8 * 1024 * 1024

    /// Where a session stands after a chunk or a query.
    public enum UploadState: Sendable, Equatable {
        /// The server holds this many bytes and waits for more.
        case active(received: Int64)
        /// The upload is complete.
        case final(GeminiFile)
        case cancelled
    }

    /// Starts a session: answers the session URL from `X-Goog-Upload-URL`.
    public func startUpload(size: Int64, mimeType: String, displayName: String) async throws(GeminiError) -> String {
        let body = Data(#"{"file":{"displayName":\#(Self.jsonString(displayName))}}"#.utf8)
        let response = try await send(
            method: "POST", path: "/upload/v1beta/files", json: body,
            extraHeaders: [
                HTTPHeader("X-Goog-Upload-Protocol", "resumable"),
                HTTPHeader("X-Goog-Upload-Command", "start"),
                HTTPHeader("X-Goog-Upload-Header-Content-Length", String(size)),
                HTTPHeader("X-Goog-Upload-Header-Content-Type", mimeType),
            ])
        guard let url = response.header("X-Goog-Upload-URL"), !url.isEmpty else {
            throw GeminiError(
                code: .upload, httpStatus: response.status, message: "the upload start answer has no X-Goog-Upload-URL header")
        }
        return url
    }

    /// Sends bytes `offset..<offset+length` of `path`, streamed from the file; `finalize` on the last chunk.
    public func uploadChunk(
        sessionURL: String, path: String, offset: Int64, length: Int64, finalize: Bool
    ) async throws(GeminiError) -> UploadState {
        let command = finalize ? (length > 0 ? "upload, finalize" : "finalize") : "upload"
        return try await sessionCommand(
            sessionURL, command: command, offset: offset,
            body: length > 0 ? .file(path: path, offset: offset, length: length) : .none)
    }

    /// `query`: how many bytes the server holds, or the final File if it already finished.
    public func queryUpload(sessionURL: String) async throws(GeminiError) -> UploadState {
        try await sessionCommand(sessionURL, command: "query", offset: nil, body: .none)
    }

    /// `cancel`: abandons the session.
    public func cancelUpload(sessionURL: String) async throws(GeminiError) {
        _ = try await sessionCommand(sessionURL, command: "cancel", offset: nil, body: .none)
    }

    private func sessionCommand(_ url: String, command: String, offset: Int64?, body: HTTPBody) async throws(GeminiError) -> UploadState {
        var headers = [HTTPHeader("X-Goog-Upload-Command", command)]
        if let offset { headers.append(HTTPHeader("X-Goog-Upload-Offset", String(offset))) }
        // A chunk never rides a reused connection: when a reused connection dies, libcurl silently sends the whole
        // request again on a new one, at an offset the server may have moved past. On a fresh connection the failure
        // reaches the uploader, which asks the server (`query`) where to continue.
        if body.length > 0 { headers.append(HTTPHeader("Connection", "close")) }
        // Long chunk uploads: allow a minute per 8 MiB on top of the base timeout.
        let allowance = Duration.seconds(60) * Double(max(1, body.length / Self.uploadGranularity))
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: body, totalTimeout: timeout + allowance)
        let response = try await perform(request)
        let status = response.header("X-Goog-Upload-Status")?.lowercased()
        switch status {
        case "active":
            let received = response.header("X-Goog-Upload-Size-Received").flatMap { Int64($0) }
            return .active(received: received ?? (offset ?? 0) + body.length)
        case "final":
            if command == "cancel" { return .cancelled }
            struct Wrapped: Decodable { var file: GeminiFile }
            return .final(try decode(Wrapped.self, from: response).file)
        case "cancelled":
            return .cancelled
        default:
            throw GeminiError(
                code: .malformedResponse, httpStatus: response.status,
                message: "the upload answer to \(command) has no usable X-Goog-Upload-Status (\(status ?? "missing"))")
        }
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
