import Foundation
import HTTPTransport
import Testing

@Suite("Failures become TransportErrors a caller can act on", .timeLimit(.minutes(1)))
struct FailureTests {
    @Test("Connecting to a closed port fails with connectFailed, which is retryable")
    func closedPort() async throws {
        let closed = try RawServer(listening: false)
        let transport = try CurlTransport()
        defer { transport.shutdown() }

        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: closed.url))
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.curlCode == 7)
        #expect(error?.isRetryable == true)
    }

    @Test("A server that never answers runs into the total timeout")
    func silentServer() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }

        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: server.url, totalTimeout: .milliseconds(300)))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.curlCode == 28)
        #expect(error?.isRetryable == true)
    }

    @Test("Cancelling the task throws cancelled and closes the connection")
    func cancellation() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let task = Task {
            try await transport.send(HTTPRequest(method: "POST", url: server.url, body: .bytes(Data("x".utf8))))
        }
        let connection = try await server.accept()
        _ = try await connection.readRequestHead()
        task.cancel()

        let error = await #expect(throws: TransportError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(error?.isRetryable == false)
        #expect(try await connection.waitForPeerClose())
    }

    @Test("A task cancelled before sending never connects")
    func cancelledBeforeSending() async throws {
        let server = try RawServer(listening: false)
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(HTTPRequest(url: server.url))
        }

        let error = await #expect(throws: TransportError.self) { try await task.value }
        #expect(error?.code == .cancelled)
    }

    @Test("A connection closed in the middle of the body fails with receiveFailed")
    func closedMidResponse() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let outcome = Task { try await transport.send(HTTPRequest(url: server.url)) }
        do {
            let connection = try await server.accept()
            _ = try await connection.readRequestHead()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly part of it")
        }

        let error = await #expect(throws: TransportError.self) { try await outcome.value }
        #expect(error?.code == .receiveFailed)
        #expect(error?.isRetryable == true)
    }

    @Test("A CA bundle that cannot be read fails the TLS setup with a tls error")
    func unreadableCABundle() async throws {
        let server = try RawServer()
        let transport = try CurlTransport(configuration: .init(caBundlePath: "/nonexistent/ca.pem"))
        defer { transport.shutdown() }

        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/"))
        }
        #expect(error?.code == .tls)
        #expect(error?.isRetryable == false)
    }

    @Test("An error never shows header values nor the URL's query (a key, an upload session's id)")
    func errorHidesSecrets() async throws {
        let closed = try RawServer(listening: false)
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let request = HTTPRequest(
            url: closed.url + "upload/v1beta/files?upload_id=secret-session&upload_protocol=resumable&key=secret-in-url",
            headers: [HTTPHeader("x-goog-api-key", "secret-in-header")])

        let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
        let text = try #require(error).description
        #expect(!text.contains("secret"))
        #expect(!text.contains("?"))
        #expect(text.contains(closed.url + "upload/v1beta/files:"), "\(text)")
        #expect(text.contains("connectFailed"))
    }

    @Test("A header value with a line break is refused before anything is sent")
    func headerInjection() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let request = HTTPRequest(url: server.url, headers: [HTTPHeader("x-note", "a\r\nInjected: yes")])

        let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("Injected") == false)
    }

    @Test("A URL scheme other than http or https is refused")
    func unsupportedScheme() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }

        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test("After shutdown every request fails with cancelled")
    func afterShutdown() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        transport.shutdown()

        let error = await #expect(throws: TransportError.self) { try await transport.send(HTTPRequest(url: server.url)) }
        #expect(error?.code == .cancelled)
    }

    @Test("Shutdown fails a request that is still waiting for its response")
    func shutdownDuringRequest() async throws {
        let server = try RawServer()
        let transport = try CurlTransport()
        let outcome = Task { try await transport.send(HTTPRequest(url: server.url)) }
        let connection = try await server.accept()
        _ = try await connection.readRequestHead()
        transport.shutdown()

        let error = await #expect(throws: TransportError.self) { try await outcome.value }
        #expect(error?.code == .cancelled)
        #expect(try await connection.waitForPeerClose())
    }
}
