import Foundation
import HTTPTransport
import Testing

@Suite("Responses written byte for byte by a scripted server", .timeLimit(.minutes(1)))
struct WireFormatTests {
    @Test("Only the headers of the final response are kept after a 1xx response")
    func informationalResponse() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let outcome = Task { try await transport.send(HTTPRequest(url: server.url)) }
        let connection = try await server.accept()
        _ = try await connection.readRequestHead()
        try connection.write(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final:  yes \r\n\r\nok")

        let response = try await outcome.value
        #expect(response.status == 200)
        #expect(response.header("link") == nil)
        #expect(response.header("x-final") == "yes")
        #expect(response.headers.map(\.name) == ["Content-Length", "X-Final"])
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
    }

    @Test("A gzip-encoded body is handed over decoded")
    func gzipBody() async throws {
        // gzip.compress(b"decoded by curl, decoded by curl, decoded by curl", mtime=0) in Python.
        let compressed: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0x49, 0x4d, 0xce, 0x4f, 0x49,
            0x4d, 0x51, 0x48, 0xaa, 0x54, 0x48, 0x2e, 0x2d, 0xca, 0xd1, 0x51, 0x48, 0x21, 0x20, 0x00, 0x00,
            0x1c, 0x08, 0xd8, 0xfc, 0x31, 0x00, 0x00, 0x00,
        ]
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let outcome = Task { try await transport.send(HTTPRequest(url: server.url)) }
        let connection = try await server.accept()
        let head = try await connection.readRequestHead()
        try connection.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(compressed.count)\r\n\r\n")
        try connection.write(compressed)

        let response = try await outcome.value
        #expect(head.lowercased().contains("accept-encoding:"))
        #expect(String(decoding: response.body, as: UTF8.self) == "decoded by curl, decoded by curl, decoded by curl")
    }

    @Test("A second request to the same server goes over the first one's connection")
    func connectionReuse() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let first = Task { try await transport.send(HTTPRequest(url: server.url + "first")) }
        let connection = try await server.accept()
        let firstHead = try await connection.readRequestHead()
        try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
        #expect(String(decoding: try await first.value.body, as: UTF8.self) == "first")

        let second = Task { try await transport.send(HTTPRequest(url: server.url + "second")) }
        let secondHead = try await connection.readRequestHead()
        try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond")

        #expect(String(decoding: try await second.value.body, as: UTF8.self) == "second")
        #expect(firstHead.hasPrefix("GET /first HTTP/1.1\r\n"))
        #expect(secondHead.hasPrefix("GET /second HTTP/1.1\r\n"))
    }
}
