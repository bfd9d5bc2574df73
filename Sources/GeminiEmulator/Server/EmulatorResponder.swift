import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes every request to its handler, checks API keys, and records the request log.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let services: EmulatorServices

    /// Thrown after closing a connection on purpose; Hummingbird then has nothing to write.
    struct DroppedConnection: Error {}

    func respond(to request: Request, context: Context) async throws -> Response {
        var entry = LoggedRequest(
            time: services.clock.now,
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query.map(LoggedRequest.redactQuery),
            command: request.headers[HTTPField.Name("X-Goog-Upload-Command")!],
            headers: request.headers.map { field in
                let name = field.name.canonicalName
                return (name, LoggedRequest.secretHeaders.contains(name) ? "REDACTED" : field.value)
            },
            offset: request.headers[HTTPField.Name("X-Goog-Upload-Offset")!].flatMap { Int64($0) }
        )
        if let range = entry.path.range(of: "/models/"), let model = entry.path[range.upperBound...].split(separator: ":").first {
            entry.model = String(model)
        }
        let outcome = await route(request, context: context, entry: &entry)
        switch outcome {
        case .respond(var response):
            entry.status = Int(response.status.code)
            if entry.fault == FaultRule.Action.cutOff.name {
                response = await CutOffResponse.cut(response)
            }
            if !entry.path.hasPrefix("/_emulator/") {
                await services.log.append(entry)
                services.logger.debug(
                    "answered",
                    metadata: [
                        "emulator.method": "\(entry.method)", "emulator.path": "\(entry.path)",
                        "emulator.status": "\(entry.status)", "emulator.fault": "\(entry.fault ?? "none")",
                    ])
            }
            return response
        case .drop:
            entry.status = 0
            entry.fault = entry.fault ?? "drop"
            await services.log.append(entry)
            services.logger.debug(
                "dropped connection",
                metadata: [
                    "emulator.method": "\(entry.method)", "emulator.path": "\(entry.path)",
                ])
            context.channel.close(mode: .all, promise: nil)
            throw DroppedConnection()
        }
    }

    private func route(_ request: Request, context: Context, entry: inout LoggedRequest) async -> HandlerOutcome {
        let path = request.uri.path
        let method = request.method
        if path.hasPrefix("/_emulator/") {
            return .respond(await AdminHandler(services: services).handle(request, path: path))
        }
        let query = request.uri.queryParameters
        let isUpload = ["/upload/v1beta/files", "/upload/v1alpha/files", "/upload/v1/files"].contains(path)
        if isUpload, method == .post, let uploadID = query["upload_id"] {
            // The session URL is its own credential: no API key needed.
            return await UploadHandler(services: services).chunk(request, sessionID: String(uploadID), entry: &entry)
        }
        if let failure = authenticate(request) {
            return .respond(WireResponse.error(failure))
        }
        if isUpload, method == .post {
            return await UploadHandler(services: services).start(request, entry: &entry)
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let downloadPrefix = segments.first == "download"
        if downloadPrefix { segments.removeFirst() }
        guard segments.count >= 2, ["v1beta", "v1alpha", "v1"].contains(segments[0]) else {
            return .respond(WireResponse.error(.methodNotFound))
        }
        // `files/{id}:download`, `batches/{id}:cancel`, `models/{model}:generateContent`, ...
        let last = segments.count == 3 ? segments[2].split(separator: ":", maxSplits: 1).map(String.init) : []
        let (name, verb) = (last.first ?? "", last.count == 2 ? last[1] : nil)
        if downloadPrefix || verb == "download" {
            guard method == .get, segments[1] == "files", verb == "download" else { return .respond(WireResponse.error(.methodNotFound)) }
            return await DownloadHandler(services: services).download(name, entry: &entry)
        }
        switch (method, segments[1], segments.count) {
        case (.post, "models", 3):
            guard let verb else { return .respond(WireResponse.error(.methodNotFound)) }
            if verb == "batchGenerateContent" {
                return await BatchesHandler(services: services).create(request, model: name, entry: &entry)
            }
            return await GenerateHandler(services: services).handle(request, model: name, method: verb, entry: &entry)
        case (.get, "models", 2):
            return .respond(ModelsHandler(services: services).list())
        case (.get, "models", 3):
            return .respond(ModelsHandler(services: services).get(segments[2]))
        case (.get, "files", 2):
            return await FilesHandler(services: services).list(request, entry: &entry)
        case (.get, "files", 3):
            return await FilesHandler(services: services).get(segments[2], request: request, entry: &entry)
        case (.delete, "files", 3):
            return await FilesHandler(services: services).delete(segments[2], request: request, entry: &entry)
        case (.get, "batches", 2):
            return await BatchesHandler(services: services).list(request, entry: &entry)
        case (.get, "batches", 3) where verb == nil:
            return await BatchesHandler(services: services).get(name, entry: &entry)
        case (.post, "batches", 3) where verb != nil:
            return await BatchesHandler(services: services).act(verb ?? "", on: name, entry: &entry)
        case (.delete, "batches", 3) where verb == nil:
            return await BatchesHandler(services: services).act("delete", on: name, entry: &entry)
        default:
            return .respond(WireResponse.error(.methodNotFound))
        }
    }

    /// A missing key is 403, a wrong one 400 API_KEY_INVALID, as on the real service.
    private func authenticate(_ request: Request) -> GoogleError? {
        let key =
            request.headers[HTTPField.Name("x-goog-api-key")!]
            ?? request.uri.queryParameters["key"].map(String.init)
        guard let key, !key.isEmpty else { return .apiKeyMissing }
        return key == services.configuration.apiKey ? nil : .apiKeyInvalid
    }
}
