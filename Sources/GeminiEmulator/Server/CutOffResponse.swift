import HTTPTypes
import Hummingbird
import NIOCore

/// The `cutOff` fault: an answer whose headers promise the whole body but whose connection
/// closes after the first half of the bytes, like a reply cut off in transit.
enum CutOffResponse {
    /// Thrown by the body writer after the half; Hummingbird then closes the connection.
    struct CutInTransit: Error {}

    /// `response` with the same status and headers (Content-Length of the full body) and a body
    /// that stops after `floor(length / 2)` bytes.
    static func cut(_ response: Response) async -> Response {
        let collector = BodyCollector()
        try? await response.body.write(collector)
        let whole = collector.buffer
        let half = whole.getSlice(at: whole.readerIndex, length: whole.readableBytes / 2) ?? ByteBuffer()
        var cut = response
        cut.body = ResponseBody(contentLength: whole.readableBytes) { writer in
            try await writer.write(half)
            throw CutInTransit()
        }
        cut.headers[.contentLength] = String(whole.readableBytes)
        return cut
    }

    /// Gathers a response body's bytes in memory.
    private final class BodyCollector: ResponseBodyWriter {
        var buffer = ByteBuffer()

        func write(_ part: ByteBuffer) async throws {
            var part = part
            buffer.writeBuffer(&part)
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
