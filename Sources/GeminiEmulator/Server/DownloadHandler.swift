import Foundation
import Hummingbird

/// `files/{id}:download?alt=media`, at `/download/v1beta/...` (the documented URL) and at
/// `/v1beta/...` (where python-genai asks): the bytes of a generated file, streamed from disk.
struct DownloadHandler {
    let services: EmulatorServices

    /// Bytes sent per write.
    static let chunkBytes = 1 << 20

    func download(_ id: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .files), entry: &entry).outcome {
            return outcome
        }
        guard let file = await services.files.liveFile(id), let path = await services.files.contentsPath(of: id) else {
            return .respond(WireResponse.error(.fileDenied(id)))
        }
        guard file.isGenerated else {
            // Emulator wording: python-genai refuses these itself with the same sense.
            return .respond(WireResponse.error(.invalidArgument("Only generated files can be downloaded; files/\(id) was uploaded.")))
        }
        let handle: FileHandle
        do {
            // Opened now: the bytes stay readable if the file is deleted while they are sent.
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            return .respond(WireResponse.error(.fileDenied(id)))
        }
        var headers = WireResponse.googleHeaders(contentType: file.mimeType)
        headers[.contentDisposition] = "attachment"
        let rate = services.configuration.downloadBytesPerSecond
        let body = ResponseBody(contentLength: Int(file.sizeBytes)) { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: rate.map { max(1, $0 / 10) } ?? Self.chunkBytes), !chunk.isEmpty {
                try await writer.write(ByteBuffer(data: chunk))
                if rate != nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            try await writer.finish(nil)
        }
        return .respond(Response(status: .ok, headers: headers, body: body))
    }
}
