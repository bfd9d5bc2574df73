import DropsightTestSupport
import Foundation
import HTTPTransport
import Testing

@Suite("Bodies streamed from a file", .timeLimit(.minutes(1)))
struct FileBodyTests {
    @Test("A 40 MB slice of a 50 MB file arrives intact with a Content-Length")
    func largeSlice() async throws {
        let folder = try TemporaryFolder(prefix: "http-transport-tests")
        let file = folder.path("upload.bin")
        let contents = patternedBytes(count: 50 * 1024 * 1024)
        try contents.write(to: URL(fileURLWithPath: file))
        let offset = 3_000_017
        let length = 40_000_009

        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let request = HTTPRequest(
                method: "POST", url: server.baseURL + "/echo",
                headers: [HTTPHeader("x-test-id", "slice")],
                body: .file(path: file, offset: Int64(offset), length: Int64(length)))
            let response = try await transport.send(request)
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)

            #expect(response.status == 200)
            #expect(reply.values(of: "content-length") == [String(length)])
            #expect(reply.values(of: "transfer-encoding").isEmpty)
            #expect(reply.values(of: "expect").isEmpty)
            #expect(await server.bodies.body(id: "slice") == contents[offset..<(offset + length)])
        }
    }

    @Test("A PUT of a whole file arrives intact")
    func wholeFilePut() async throws {
        let folder = try TemporaryFolder(prefix: "http-transport-tests")
        let file = folder.path("whole.bin")
        let contents = patternedBytes(count: 300_001)
        try contents.write(to: URL(fileURLWithPath: file))

        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let request = HTTPRequest(
                method: "PUT", url: server.baseURL + "/echo",
                headers: [HTTPHeader("x-test-id", "whole")],
                body: .file(path: file, offset: 0, length: Int64(contents.count)))
            let response = try await transport.send(request)
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)

            #expect(reply.method == "PUT")
            #expect(reply.values(of: "content-length") == [String(contents.count)])
            #expect(await server.bodies.body(id: "whole") == contents)
        }
    }

    @Test("A missing file fails as an invalid request, before anything is sent")
    func missingFile() async throws {
        let folder = try TemporaryFolder(prefix: "http-transport-tests")
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let request = HTTPRequest(
            method: "POST", url: server.url,
            body: .file(path: folder.path("absent.bin"), offset: 0, length: 10))

        let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("absent.bin") == true)
    }

    @Test("A slice that runs past the end of the file fails as an invalid request")
    func sliceBeyondEnd() async throws {
        let folder = try TemporaryFolder(prefix: "http-transport-tests")
        let file = folder.path("short.bin")
        try patternedBytes(count: 1000).write(to: URL(fileURLWithPath: file))
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let request = HTTPRequest(method: "POST", url: server.url, body: .file(path: file, offset: 500, length: 501))

        let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("1000 bytes") == true)
    }

    @Test("A file cut short while it uploads fails the request instead of sending short")
    func fileTruncatedDuringUpload() async throws {
        let folder = try TemporaryFolder(prefix: "http-transport-tests")
        let file = folder.path("shrinking.bin")
        let length = 50 * 1024 * 1024
        try patternedBytes(count: length).write(to: URL(fileURLWithPath: file))
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let outcome = Task {
            try await transport.send(
                HTTPRequest(
                    method: "POST", url: server.url,
                    body: .file(path: file, offset: 0, length: Int64(length))))
        }
        // The server reads only the head, so the socket buffers fill long before 50 MB are read.
        let connection = try await server.accept()
        _ = try await connection.readRequestHead()
        #expect(truncate(file, 0) == 0)
        #expect(try await connection.waitForPeerClose())

        let error = await #expect(throws: TransportError.self) { try await outcome.value }
        #expect(error?.code == .invalidRequest)
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("was it truncated?") == true)
    }
}

/// Bytes whose value depends on their position, so a shifted or reordered slice cannot pass for the original.
func patternedBytes(count: Int) -> Data {
    var data = Data(count: count)
    data.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            buffer[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
    }
    return data
}
