import Foundation
import Hummingbird

/// `files.get`, `files.list` and `files.delete`.
struct FilesHandler {
    let services: EmulatorServices

    func get(_ id: String, request: Request, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .files), entry: &entry).outcome {
            return outcome
        }
        guard let file = await services.files.liveFile(id) else { return .respond(WireResponse.error(.fileDenied(id))) }
        return .respond(WireResponse.json(file.resource(baseURL: publicBase(request), now: services.clock.now)))
    }

    /// Newest first; `pageSize` defaults to 10 and is capped at 100.
    func list(_ request: Request, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .files), entry: &entry).outcome {
            return outcome
        }
        let (pageSize, token) = request.page
        let page = await services.files.list(pageSize: pageSize, after: token)
        let now = services.clock.now
        let base = publicBase(request)
        var body: [(String, WireJSON)] = []
        if !page.files.isEmpty { body.append(("files", .array(page.files.map { $0.resource(baseURL: base, now: now) }))) }
        if let next = page.nextToken { body.append(("nextPageToken", .string(PageToken.encode(next)))) }
        return .respond(WireResponse.json(.object(body)))
    }

    func delete(_ id: String, request: Request, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .files), entry: &entry).outcome {
            return outcome
        }
        guard await services.files.delete(id) else { return .respond(WireResponse.error(.fileDenied(id))) }
        return .respond(WireResponse.json(.object([])))
    }

    /// `scheme://host:port` the client used to reach the emulator.
    private func publicBase(_ request: Request) -> String {
        "http://\(request.head.authority ?? services.address.authority)"
    }
}

/// Opaque page tokens: base64url of the last file id of the previous page.
enum PageToken {
    static func encode(_ id: String) -> String {
        Data(id.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String) -> String? {
        LenientBase64.decode(token).flatMap { String(data: $0, encoding: .utf8) }
    }
}
