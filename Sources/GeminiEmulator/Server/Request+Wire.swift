import Foundation
import Hummingbird

extension Request {
    /// The body parsed as JSON, refused past `limit` bytes as the real service refuses it; its size goes to `entry`.
    func wireJSON(upTo limit: Int, entry: inout LoggedRequest) async throws(GoogleError) -> WireJSON {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw .invalidArgument("Request payload size exceeds the limit: \(limit) bytes.")
        }
        entry.bytes = Int64(buffer.readableBytes)
        do {
            return try WireJSONParser.parse(Data(buffer: buffer))
        } catch {
            throw .invalidArgument("Invalid JSON payload received. \(error.reason)")
        }
    }

    /// `pageSize` (default 10, at most 100) and the id `pageToken` names (the last of the previous page), either spelling.
    var page: (size: Int, after: String?) {
        let query = uri.queryParameters
        var size = query["pageSize"].flatMap { Int($0) } ?? query["page_size"].flatMap { Int($0) } ?? 10
        if size <= 0 { size = 10 }
        let token = (query["pageToken"] ?? query["page_token"]).map(String.init).flatMap(PageToken.decode)
        return (min(size, 100), token)
    }
}
