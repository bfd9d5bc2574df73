import Foundation
import HTTPTypes
import Hummingbird

/// The resumable ("X-Goog-Upload-*") upload protocol: start, upload, finalize, query, cancel.
///
/// Chunk bytes stream straight to disk. Non-final chunks must be multiples of the chunk
/// granularity; offsets must equal the bytes received; upload errors are plain text, as the
/// real upload backend sends them.
struct UploadHandler {
    let services: EmulatorServices

    static let statusHeader = HTTPField.Name("X-Goog-Upload-Status")!

    // MARK: Session commands

    func chunk(_ request: Request, sessionID: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        let commandText = request.headers[HTTPField.Name("X-Goog-Upload-Command")!] ?? ""
        let command = Set(commandText.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard let session = await services.files.session(sessionID) else {
            await drain(request.body)
            return .respond(WireResponse.plainText("Failed to find the upload session \(sessionID).", status: .notFound))
        }
        let (faultOutcome, rule) = await FaultApplier(services: services).apply(
            FaultProbe(route: .upload, command: commandText), entry: &entry
        )
        if let faultOutcome {
            await drain(request.body)
            return faultOutcome
        }
        if command == ["query"] {
            return .respond(await answerQuery(session))
        }
        if command == ["cancel"] {
            do { try await services.files.cancel(session: sessionID) } catch { return .respond(plainError(error)) }
            return .respond(WireResponse.empty(extra: [Self.statusHeader: "cancelled"]))
        }
        guard command == ["upload"] || command == ["upload", "finalize"] || command == ["finalize"] else {
            await drain(request.body)
            return .respond(
                WireResponse.plainText(
                    "Unknown X-Goog-Upload-Command \"\(commandText)\".", status: .badRequest,
                    extra: [Self.statusHeader: session.state.rawValue]))
        }
        switch await services.files.claim(session: sessionID, offset: entry.offset) {
        case .claimed(let current):
            var dropAfter: Int64?
            if case .drop(let afterBytes)? = rule?.action { dropAfter = afterBytes }
            let outcome = await receive(
                request, session: current, finalize: command.contains("finalize"),
                dropAfter: dropAfter, entry: &entry)
            await services.files.release(session: sessionID)
            return outcome
        case .finished(let current):
            await drain(request.body)
            return .respond(await finalAnswer(current))
        case .cancelled:
            await drain(request.body)
            return .respond(
                WireResponse.plainText(
                    "The upload session was cancelled.", status: .badRequest,
                    extra: [Self.statusHeader: "cancelled"]))
        case .busy:
            await drain(request.body)
            return .respond(
                WireResponse.plainText(
                    "Invalid request. Another chunk of this upload is still being received.",
                    status: .badRequest, extra: [Self.statusHeader: "active"]
                ))
        case .offsetMismatch(let received):
            await drain(request.body)
            return .respond(
                WireResponse.plainText(
                    "Invalid request. The client sent offset \(entry.offset ?? 0), but the server has received \(received) bytes.",
                    status: .badRequest, extra: [Self.statusHeader: "active"]
                ))
        }
    }

    /// Streams the chunk to disk, then commits it, rejects it, or drops the connection.
    private func receive(
        _ request: Request, session: UploadSession, finalize: Bool, dropAfter: Int64?, entry: inout LoggedRequest
    ) async -> HandlerOutcome {
        let store = services.files
        let start = session.received
        var written: Int64 = 0
        var tooLarge = false
        do {
            for try await var buffer in request.body {
                if let dropAfter, written + Int64(buffer.readableBytes) >= dropAfter {
                    let keep = Int(dropAfter - written)
                    if let head = buffer.readSlice(length: keep), keep > 0 {
                        try await store.write(head, session: session.id, at: start + written)
                    }
                    written = dropAfter
                    entry.bytes = written
                    // What survives a broken connection: whole granules only.
                    let granule = Int64(services.configuration.chunkGranularity)
                    try await store.commit(session: session.id, received: max(start, (start + written) / granule * granule))
                    return .drop
                }
                if start + written + Int64(buffer.readableBytes) > services.configuration.maxFileBytes {
                    tooLarge = true
                    continue
                }
                let count = Int64(buffer.readableBytes)
                try await store.write(buffer, session: session.id, at: start + written)
                written += count
            }
        } catch let error as StoreError {
            return .respond(plainError(error))
        } catch {
            // The client went away mid-chunk: keep whole granules, as after a drop.
            entry.bytes = written
            entry.fault = entry.fault ?? "client disconnected"
            let granule = Int64(services.configuration.chunkGranularity)
            try? await store.commit(session: session.id, received: max(start, (start + written) / granule * granule))
            return .drop
        }
        entry.bytes = written
        if tooLarge {
            try? await store.cancel(session: session.id)
            return .respond(
                WireResponse.plainText(
                    "The file exceeds the maximum file size of \(services.configuration.maxFileBytes) bytes.",
                    status: .contentTooLarge, extra: [Self.statusHeader: "final"]
                ))
        }
        let granularity = Int64(services.configuration.chunkGranularity)
        if !finalize, written % granularity != 0 {
            try? await store.commit(session: session.id, received: start)
            return .respond(
                WireResponse.plainText(
                    "The client sent \(written) bytes, which is not a multiple of the \(granularity) byte chunk granularity.",
                    status: .badRequest, extra: [Self.statusHeader: "active"]
                ))
        }
        if let declared = session.declaredSize, start + written > declared {
            try? await store.commit(session: session.id, received: start)
            return .respond(
                WireResponse.plainText(
                    "The client sent \(start + written) bytes in total, more than the \(declared) bytes declared in X-Goog-Upload-Header-Content-Length.",
                    status: .badRequest, extra: [Self.statusHeader: "active"]
                ))
        }
        do {
            try await store.commit(session: session.id, received: start + written)
            guard finalize else { return .respond(WireResponse.empty(extra: [Self.statusHeader: "active"])) }
            _ = try await store.finalize(session: session.id)
        } catch {
            return .respond(plainError(error))
        }
        return .respond(await finalAnswer(await store.session(session.id) ?? session))
    }

    private func answerQuery(_ session: UploadSession) async -> Response {
        switch session.state {
        case .final:
            return await finalAnswer(session)
        case .cancelled:
            return WireResponse.empty(extra: [Self.statusHeader: "cancelled"])
        case .active:
            return WireResponse.empty(extra: [
                Self.statusHeader: "active",
                HTTPField.Name("X-Goog-Upload-Size-Received")!: String(session.received),
                HTTPField.Name("X-Goog-Upload-Chunk-Granularity")!: String(services.configuration.chunkGranularity),
            ])
        }
    }

    /// `{"file": {...}}` (wrapped, unlike files.get) with `X-Goog-Upload-Status: final`.
    private func finalAnswer(_ session: UploadSession) async -> Response {
        var extra: HTTPFields = [Self.statusHeader: "final"]
        guard let id = session.fileID, let file = await services.files.liveFile(id) else {
            return WireResponse.plainText("The uploaded file no longer exists.", status: .notFound, extra: extra)
        }
        extra[HTTPField.Name("X-Goog-Upload-Size-Received")!] = String(file.sizeBytes)
        let resource = file.resource(baseURL: "http://\(services.address.authority)", now: services.clock.now)
        return WireResponse.json(.object([("file", resource)]), extra: extra)
    }

    private func plainError(_ error: any Error) -> Response {
        let message = (error as? StoreError)?.message ?? "\(error)"
        let status: HTTPResponse.Status = (error as? StoreError)?.code == .io ? .internalServerError : .badRequest
        return WireResponse.plainText(message, status: status, extra: [Self.statusHeader: "active"])
    }

    func storeError(_ error: any Error) -> GoogleError {
        guard let error = error as? StoreError else { return .internalError }
        switch error.code {
        case .nameTaken: return GoogleError(code: 409, status: "ALREADY_EXISTS", message: error.message)
        case .io: return .internalError
        case .fileTooLarge, .projectFull, .badName, .sizeMismatch: return .invalidArgument(error.message)
        }
    }

    func drain(_ body: RequestBody) async {
        do {
            for try await _ in body {}
        } catch {}
    }
}
