import Foundation

/// One uploaded file's metadata, kept as `<id>.json` next to its bytes `<id>.bin`.
struct StoredFile: Codable, Sendable, Equatable {
    var id: String
    var displayName: String?
    var mimeType: String
    var sizeBytes: Int64
    var createTime: Date
    /// When it leaves `PROCESSING`; equal to `createTime` when processing is instant.
    var activeTime: Date
    var expirationTime: Date
    /// Lowercase hex SHA-256 of the bytes.
    var sha256Hex: String
    /// True for files the service wrote itself (batch results): `source` GENERATED, downloadable.
    var generated: Bool?

    var isGenerated: Bool { generated == true }

    func isActive(at now: Date) -> Bool {
        now >= activeTime
    }

    /// The `File` resource as the service writes it (camelCase, `sizeBytes` as a string,
    /// `sha256Hash` = base64 of the hex digest, `uri` on `baseURL`; generated files also carry
    /// `downloadUri`).
    func resource(baseURL: String, now: Date) -> WireJSON {
        let active = isActive(at: now)
        return .compactObject([
            ("name", .string("files/\(id)")),
            ("displayName", displayName.map(WireJSON.string)),
            ("mimeType", .string(mimeType)),
            ("sizeBytes", .string(String(sizeBytes))),
            ("createTime", .string(Timestamp.rfc3339(createTime))),
            ("updateTime", .string(Timestamp.rfc3339(active ? activeTime : createTime))),
            ("expirationTime", .string(Timestamp.rfc3339(expirationTime, fractionDigits: 9))),
            ("sha256Hash", .string(Data(sha256Hex.utf8).base64EncodedString())),
            ("uri", .string("\(baseURL)/v1beta/files/\(id)")),
            (
                "downloadUri",
                isGenerated ? .string("\(baseURL)/download/v1beta/files/\(id):download?alt=media") : nil
            ),
            ("state", .string(active ? "ACTIVE" : "PROCESSING")),
            ("source", .string(isGenerated ? "GENERATED" : "UPLOADED")),
        ])
    }
}

/// A resumable upload in progress, kept as `<id>.json` next to its bytes `<id>.part`.
struct UploadSession: Codable, Sendable, Equatable {
    enum State: String, Codable, Sendable {
        case active
        case final
        case cancelled
    }

    var id: String
    var requestedFileID: String?
    var displayName: String?
    var mimeType: String
    /// From `X-Goog-Upload-Header-Content-Length`; nil when the client did not say (go-genai's `Upload`).
    var declaredSize: Int64?
    /// Bytes committed so far (`X-Goog-Upload-Size-Received`).
    var received: Int64
    var state: State
    var fileID: String?
    var createTime: Date
}
