import Foundation
import HTTPTypes
import Hummingbird

extension UploadHandler {
    /// `POST /upload/v1beta/files` with `X-Goog-Upload-Command: start`: opens a session and
    /// answers 200 with an empty body and the session URL (on the emulator's own host) in
    /// `X-Goog-Upload-URL`.
    func start(_ request: Request, entry: inout LoggedRequest) async -> HandlerOutcome {
        let headers = request.headers
        let protocolName = headers[HTTPField.Name("X-Goog-Upload-Protocol")!]?.lowercased()
        let command = headers[HTTPField.Name("X-Goog-Upload-Command")!]?.lowercased()
        guard protocolName == "resumable", command == "start" else {
            return .respond(
                WireResponse.error(
                    .invalidArgument(
                        "The emulator supports only resumable uploads: send X-Goog-Upload-Protocol: resumable and X-Goog-Upload-Command: start."
                    )))
        }
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .upload, command: "start"), entry: &entry).outcome {
            return outcome
        }
        var body = ByteBuffer()
        do {
            body = try await request.body.collect(upTo: 1 << 20)
        } catch {
            return .respond(WireResponse.error(.invalidArgument("The file metadata must be under 1 MB.")))
        }
        entry.bytes = Int64(body.readableBytes)
        var file: WireJSON = .object([])
        if body.readableBytes > 0 {
            do {
                let parsed = try WireJSONParser.parse(Data(buffer: body))
                file = try RequestNormalizer.normalize(parsed, as: "CreateFileRequest")["file"] ?? .object([])
            } catch let error as WireJSONSyntaxError {
                return .respond(WireResponse.error(.invalidArgument("Invalid JSON payload received. \(error.reason)")))
            } catch let error as InvalidRequest {
                return .respond(WireResponse.error(.badRequest(error)))
            } catch {
                return .respond(WireResponse.error(.internalError))
            }
        }
        let declared =
            headers[HTTPField.Name("X-Goog-Upload-Header-Content-Length")!].flatMap { Int64($0) }
            ?? file["sizeBytes"]?.intValue
        let mimeType =
            headers[HTTPField.Name("X-Goog-Upload-Header-Content-Type")!]
            ?? file["mimeType"]?.stringValue ?? "application/octet-stream"
        let requestedID = file["name"]?.stringValue.map { $0.hasPrefix("files/") ? String($0.dropFirst(6)) : $0 }
        let session: UploadSession
        do {
            session = try await services.files.startSession(
                requestedFileID: requestedID, displayName: file["displayName"]?.stringValue,
                mimeType: mimeType, declaredSize: declared
            )
        } catch {
            return .respond(WireResponse.error(storeError(error)))
        }
        var uploadURL =
            "http://\(request.head.authority ?? services.address.authority)"
            + "\(request.uri.path)?upload_id=\(session.id)&upload_protocol=resumable"
        if let key = request.uri.queryParameters["key"] {
            uploadURL += "&key=\(key)"
        }
        var extra = HTTPFields()
        extra[HTTPField.Name("X-Goog-Upload-URL")!] = uploadURL
        extra[HTTPField.Name("X-Goog-Upload-Control-URL")!] = uploadURL
        extra[Self.statusHeader] = "active"
        extra[HTTPField.Name("X-Goog-Upload-Chunk-Granularity")!] = String(services.configuration.chunkGranularity)
        extra[HTTPField.Name("X-GUploader-UploadID")!] = session.id
        return .respond(WireResponse.empty(extra: extra))
    }
}
