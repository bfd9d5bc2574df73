import Foundation
import HTTPTransport

/// The Files API's JSON methods: get, list, delete.
extension GeminiClient {
    /// `GET /v1beta/files/{id}`. A missing, expired or foreign file answers 403 (`isFileGone`).
    public func getFile(name: String) async throws(GeminiError) -> GeminiFile {
        let response = try await send(method: "GET", path: "/v1beta/\(Self.filePath(name))")
        return try decode(GeminiFile.self, from: response)
    }

    /// `GET /v1beta/files?pageSize=&pageToken=`.
    public func listFiles(pageSize: Int = 100, pageToken: String? = nil) async throws(GeminiError) -> FileList {
        var path = "/v1beta/files?pageSize=\(pageSize)"
        if let token = pageToken, let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            path += "&pageToken=\(escaped)"
        }
        return try decode(FileList.self, from: try await send(method: "GET", path: path))
    }

    /// Every page of `files.list`.
    public func listAllFiles() async throws(GeminiError) -> [GeminiFile] {
        var all: [GeminiFile] = []
        var token: String? = nil
        repeat {
            let page = try await listFiles(pageToken: token)
            all += page.files ?? []
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return all
    }

    /// `DELETE /v1beta/files/{id}`.
    public func deleteFile(name: String) async throws(GeminiError) {
        _ = try await send(method: "DELETE", path: "/v1beta/\(Self.filePath(name))")
    }

    static func filePath(_ name: String) -> String {
        name.hasPrefix("files/") ? name : "files/\(name)"
    }
}
