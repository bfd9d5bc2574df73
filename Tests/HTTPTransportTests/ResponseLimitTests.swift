import Foundation
import HTTPTransport
import Testing

/// A response body is taken up to the transport's limit (64 MiB by default), counted as received and as
/// decoded; past it the transfer is aborted with a clear error, whether the length was announced or not.
@Suite("Response body limit", .timeLimit(.minutes(1)))
struct ResponseLimitTests {
    static let mib = 1 << 20

    @Test("A chunked body past 64 MiB is aborted; one at the limit arrives whole")
    func chunkedBody() async throws {
        #expect(CurlTransport.Configuration().maxResponseBytes == Int64(64 * Self.mib))
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let whole = try await transport.send(HTTPRequest(url: server.baseURL + "/zeros/\(64 * Self.mib)"))
            #expect(whole.body.count == 64 * Self.mib)

            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/zeros/\(64 * Self.mib + 1)"))
            }
            #expect(error?.code == .responseTooLarge)
            #expect(error?.isRetryable == false)
            #expect(error?.description.contains("larger than the limit of 67108864 bytes") == true, "\(String(describing: error))")
        }
    }

    @Test("A gzip body of a few KB that decodes past the limit is aborted")
    func compressedBomb() async throws {
        let transport = try CurlTransport(configuration: .init(maxResponseBytes: Int64(Self.mib)))
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let small = try await transport.send(HTTPRequest(url: server.baseURL + "/gzip-zeros/\(Self.mib)"))
            #expect(small.body == Data(count: Self.mib), "curl decodes gzip itself")

            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/gzip-zeros/\(2 * Self.mib)"))
            }
            #expect(error?.code == .responseTooLarge, "\(String(describing: error))")
        }
    }

    @Test("A Content-Length over the limit is refused before the body is read")
    func announcedLength() async throws {
        let server = try RawServer()
        let transport = try CurlTransport(configuration: .init(maxResponseBytes: Int64(Self.mib)))
        defer { transport.shutdown() }
        let answer = Task { try await transport.send(HTTPRequest(url: server.url)) }
        let connection = try await server.accept()
        _ = try await connection.readRequestHead()
        try connection.write("HTTP/1.1 200 OK\r\nContent-Length: \(100 * Self.mib)\r\n\r\n")
        let error = await #expect(throws: TransportError.self) { try await answer.value }
        #expect(error?.code == .responseTooLarge, "\(String(describing: error))")
    }
}
