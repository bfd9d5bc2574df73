import Foundation
import HTTPTransport
import Testing

/// `HTTPRequest.responseFile`: a 2xx body goes to disk as it arrives, past the memory limit; other
/// statuses keep their body in memory and create no file.
@Suite("Response bodies written to a file", .timeLimit(.minutes(1)))
struct ResponseFileTests {
    static let mib = 1 << 20

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("response-file-\(UUID().uuidString)-\(name)").path
    }

    @Test("A 2xx body larger than the memory limit lands whole in the file, mode 0600")
    func largeBodyToFile() async throws {
        let transport = try CurlTransport(configuration: .init(maxResponseBytes: Int64(Self.mib)))
        defer { transport.shutdown() }
        let path = temporaryPath("zeros")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EchoServer.run { server in
            let response = try await transport.send(HTTPRequest(url: server.baseURL + "/zeros/\(3 * Self.mib + 5)", responseFile: path))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? NSNumber)?.intValue == 3 * Self.mib + 5)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(count: 3 * Self.mib + 5))
    }

    @Test("An empty 2xx body still creates (and empties) the file")
    func emptyBody() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let path = temporaryPath("empty")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("old content".utf8).write(to: URL(fileURLWithPath: path))
        try await EchoServer.run { server in
            _ = try await transport.send(HTTPRequest(url: server.baseURL + "/zeros/0", responseFile: path))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test("An error status keeps its body in memory and creates no file")
    func errorBodyStaysInMemory() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let path = temporaryPath("missing")
        try await EchoServer.run { server in
            let response = try await transport.send(HTTPRequest(url: server.baseURL + "/no-such-route", responseFile: path))
            #expect(response.status == 404)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A file that cannot be created fails the transfer with its path")
    func unwritablePath() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let path = temporaryPath("no-such-folder") + "/body"
        try await EchoServer.run { server in
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/zeros/1000", responseFile: path))
            }
            #expect(error?.code == .other)
            #expect(error?.message.contains(path) == true, "\(String(describing: error))")
            #expect(error?.isRetryable == false)
        }
    }
}
