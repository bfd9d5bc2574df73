import Foundation
import HTTPTransport

#if canImport(Glibc)
    import Glibc
#endif

/// The Files API's JSON methods (get, list, delete) and the download of generated files.
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

    /// `GET /download/v1beta/files/{id}:download?alt=media`: streams a generated file (a batch's
    /// results) to `path` without holding it in memory, and returns its size in bytes.
    ///
    /// The bytes go to `path.part` (mode 0600), renamed over `path` once complete, so `path` never holds
    /// part of a file. Uploaded files cannot be downloaded (the service refuses them).
    @discardableResult
    public func downloadFile(name: String, to path: String, timeout: Duration = .seconds(3600)) async throws(GeminiError) -> Int64 {
        let partial = path + ".part"
        let request = HTTPRequest(
            method: "GET", url: baseURL + "/download/v1beta/\(Self.filePath(name)):download?alt=media",
            headers: [HTTPHeader("x-goog-api-key", apiKey.key)], totalTimeout: timeout, responseFile: partial)
        do {
            _ = try await perform(request)
        } catch {
            unlink(partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw GeminiError(code: .transport, message: "could not store the download at \(path): \(reason)", transportRetryable: false)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        return size?.int64Value ?? 0
    }

    static func filePath(_ name: String) -> String {
        name.hasPrefix("files/") ? name : "files/\(name)"
    }
}
