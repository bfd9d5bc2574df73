import Foundation
import HTTPTypes
import Hummingbird

/// Responses dressed with the headers Google's front end sends.
enum WireResponse {
    static func googleHeaders(contentType: String?, startedAt: ContinuousClock.Instant? = nil) -> HTTPFields {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        headers[.vary] = "Origin, X-Origin, Referer"
        headers[.server] = "scaffolding on HTTPServer2"
        headers[HTTPField.Name("X-XSS-Protection")!] = "0"
        headers[HTTPField.Name("X-Frame-Options")!] = "SAMEORIGIN"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if let startedAt {
            let elapsed = ContinuousClock.now - startedAt
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            headers[HTTPField.Name("Server-Timing")!] = "gfet4t7; dur=\(milliseconds)"
        }
        return headers
    }

    static func json(
        _ body: WireJSON, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:],
        startedAt: ContinuousClock.Instant? = nil
    ) -> Response {
        var headers = googleHeaders(contentType: "application/json; charset=UTF-8", startedAt: startedAt)
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: WireJSONWriter.data(body))))
    }

    static func error(_ error: GoogleError, startedAt: ContinuousClock.Instant? = nil) -> Response {
        json(error.body, status: HTTPResponse.Status(code: error.code), startedAt: startedAt)
    }

    /// A plain-text body, as the upload backend sends its errors.
    static func plainText(_ text: String, status: HTTPResponse.Status, extra: HTTPFields = [:]) -> Response {
        var headers = googleHeaders(contentType: "text/plain; charset=utf-8")
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func empty(status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var headers = googleHeaders(contentType: "text/plain; charset=utf-8")
        headers.append(contentsOf: extra)
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers, body: .init())
    }
}

extension ByteBuffer {
    init(data: Data) {
        self.init(bytes: data)
    }
}
