import Foundation
import HTTPTransport
import Testing

@Suite("Requests and responses over a live loopback server", .timeLimit(.minutes(1)))
struct RoundTripTests {
    @Test("GET sends the caller's headers and gets status, headers and body back")
    func getRoundTrip() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let request = HTTPRequest(
                url: server.baseURL + "/echo",
                headers: [
                    HTTPHeader("X-Custom", "Hello World"),
                    HTTPHeader("x-goog-api-key", "test-key"),
                ])
            let response = try await transport.send(request)
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)

            #expect(response.status == 200)
            #expect(response.httpVersion == "1.1")
            #expect(response.header("content-type") == "application/json")
            #expect(reply.method == "GET")
            #expect(reply.bodyLength == 0)
            #expect(reply.values(of: "x-custom") == ["Hello World"])
            #expect(reply.values(of: "x-goog-api-key") == ["test-key"])
            #expect(reply.values(of: "expect").isEmpty)
            #expect(reply.values(of: "accept-encoding").first?.contains("gzip") == true)
        }
    }

    @Test("A body in memory arrives byte for byte, with a Content-Length and no Expect", arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func memoryBody(method: String) async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let body = Data((0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
        try await EchoServer.run { server in
            let request = HTTPRequest(
                method: method, url: server.baseURL + "/echo",
                headers: [HTTPHeader("x-test-id", method)], body: .bytes(body))
            let response = try await transport.send(request)
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)

            #expect(response.status == 200)
            #expect(reply.method == method)
            #expect(reply.values(of: "content-length") == ["100003"])
            #expect(reply.values(of: "transfer-encoding").isEmpty)
            #expect(reply.values(of: "expect").isEmpty)
            #expect(await server.bodies.body(id: method) == body)
        }
    }

    @Test("An empty body still sends Content-Length: 0", arguments: ["POST", "PUT", "PATCH"])
    func emptyBody(method: String) async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let response = try await transport.send(HTTPRequest(method: method, url: server.baseURL + "/echo"))
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)

            #expect(reply.method == method)
            #expect(reply.bodyLength == 0)
            #expect(reply.values(of: "content-length") == ["0"])
            #expect(reply.values(of: "transfer-encoding").isEmpty)
        }
    }

    @Test("Response headers keep their order and are found whatever the case")
    func responseHeaders() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let response = try await transport.send(HTTPRequest(url: server.baseURL + "/headers"))

            #expect(response.status == 201)
            #expect(String(decoding: response.body, as: UTF8.self) == "made")
            #expect(response.header("x-mixed-case") == "Value-One")
            #expect(response.header("X-MIXED-CASE") == "Value-One")
            #expect(response.headers.values(named: "X-Repeated") == ["first", "second"])
            #expect(response.header("x-absent") == nil)
        }
    }

    @Test("One transport serves many requests in a row")
    func sequentialRequests() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            for index in 0..<20 {
                let body = Data(repeating: UInt8(index), count: index * 1000)
                let response = try await transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/echo", body: .bytes(body)))
                let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)
                #expect(reply.bodyLength == body.count)
            }
        }
    }
}
