import Foundation

/// Drives a whole resumable upload: start (or resume a saved session), chunks streamed from the file,
/// `query` after any failure to learn what the server holds, then checks the result.
///
/// A dropped connection costs at most the chunk in flight. `progress` is called with the session URL
/// and the confirmed offset after every step, so the caller can persist it and resume after a crash.
public struct FileUploader: Sendable {
    public let client: GeminiClient
    /// Multiple of 8 MiB. Default 8 MiB.
    public var chunkSize: Int64 = GeminiClient.uploadGranularity
    /// Consecutive failed steps before giving up (the saved session stays usable).
    public var maxConsecutiveFailures = 5
    /// How long to wait for a `PROCESSING` file to become `ACTIVE`.
    public var processingTimeout: Duration = .seconds(300)

    public init(client: GeminiClient) { self.client = client }

    /// A session to continue, as saved by `progress`.
    public struct Session: Sendable, Equatable {
        public var url: String
        public var confirmedOffset: Int64
        public init(url: String, confirmedOffset: Int64) {
            self.url = url
            self.confirmedOffset = confirmedOffset
        }
    }

    public struct Source: Sendable {
        public var path: String
        public var size: Int64
        /// Lowercase hex SHA-256 of the file.
        public var sha256: String
        public var mimeType: String
        public var displayName: String
        public init(path: String, size: Int64, sha256: String, mimeType: String, displayName: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.mimeType = mimeType
            self.displayName = displayName
        }
    }

    public func upload(
        _ source: Source, resuming saved: Session?,
        progress: @Sendable (Session) async -> Void
    ) async throws(GeminiError) -> GeminiFile {
        var session: Session
        var state: GeminiClient.UploadState
        if let saved {
            session = saved
            do {
                state = try await client.queryUpload(sessionURL: saved.url)
            } catch  where error.httpStatus != nil && !error.isRetryable {
                // The server no longer knows the session (expired or cancelled): start over.
                session = Session(
                    url: try await client.startUpload(size: source.size, mimeType: source.mimeType, displayName: source.displayName),
                    confirmedOffset: 0)
                state = .active(received: 0)
            }
            if state == .cancelled {
                session = Session(
                    url: try await client.startUpload(size: source.size, mimeType: source.mimeType, displayName: source.displayName),
                    confirmedOffset: 0)
                state = .active(received: 0)
            }
        } else {
            session = Session(
                url: try await client.startUpload(size: source.size, mimeType: source.mimeType, displayName: source.displayName),
                confirmedOffset: 0)
            state = .active(received: 0)
        }

        var failures = 0
        while true {
            switch state {
            case .final(let file):
                return try await verified(file, source: source)
            case .cancelled:
                throw GeminiError(code: .upload, message: "the upload session was cancelled by the server")
            case .active(let received):
                session.confirmedOffset = received
                await progress(session)
                let remaining = source.size - received
                guard remaining >= 0 else {
                    throw GeminiError(code: .upload, message: "the server holds \(received) bytes of a \(source.size)-byte file")
                }
                let isLast = remaining <= chunkSize
                let length = isLast ? remaining : chunkSize
                do {
                    state = try await client.uploadChunk(
                        sessionURL: session.url, path: source.path, offset: received,
                        length: length, finalize: isLast)
                    failures = 0
                } catch  where Self.isRecoverable(error) {
                    failures += 1
                    if failures >= maxConsecutiveFailures { throw error }
                    try? await Task.sleep(for: error.retryDelay ?? .milliseconds(250 * (1 << min(failures, 5))))
                    do {
                        state = try await client.queryUpload(sessionURL: session.url)
                    } catch  where error.isRetryable {
                        state = .active(received: received)
                    }
                }
            }
        }
    }

    /// After these failures the session may still be usable: ask the server (`query`) where it stands and continue.
    ///
    /// Google's rules for resumable uploads: a dropped connection, a timeout, an unreadable answer or any HTTP error
    /// is recoverable, except the statuses that say the session or the request itself is refused for good.
    static func isRecoverable(_ error: GeminiError) -> Bool {
        switch error.code {
        case .transport: error.transportRetryable
        case .malformedResponse: true
        case .upload: false
        case .http: ![401, 403, 404, 405, 410, 413, 415].contains(error.httpStatus ?? 0)
        }
    }

    /// Checks size and hash against ours (a missing one counts as a mismatch), then waits while the file is `PROCESSING`.
    private func verified(_ uploaded: GeminiFile, source: Source) async throws(GeminiError) -> GeminiFile {
        let matches = uploaded.sizeBytes == source.size && uploaded.sha256Hex == source.sha256
        if !matches {
            // Not what we sent: do not leave it counting against the project quota.
            try? await client.deleteFile(name: uploaded.name)
        }
        guard uploaded.sizeBytes == source.size else {
            throw GeminiError(
                code: .upload,
                message:
                    "the uploaded \(uploaded.name) has \(uploaded.sizeBytes.map { "\($0)" } ?? "no stated") bytes, ours has \(source.size)")
        }
        guard let hex = uploaded.sha256Hex, hex == source.sha256 else {
            throw GeminiError(
                code: .upload,
                message:
                    "the uploaded \(uploaded.name) has SHA-256 \(uploaded.sha256Hex ?? uploaded.sha256Hash ?? "(none)"), ours is \(source.sha256): the bytes were altered on the way"
            )
        }
        var file = uploaded
        let deadline = ContinuousClock.now + processingTimeout
        while file.state == "PROCESSING" {
            guard ContinuousClock.now < deadline else {
                throw GeminiError(code: .upload, message: "\(file.name) is still PROCESSING after \(processingTimeout)")
            }
            try? await Task.sleep(for: .seconds(1))
            file = try await client.getFile(name: file.name)
        }
        if file.state == "FAILED" {
            throw GeminiError(code: .upload, message: "the service could not process \(file.name) (state FAILED)")
        }
        return file
    }
}
