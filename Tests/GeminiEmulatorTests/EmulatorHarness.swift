import DropsightTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

@testable import GeminiEmulator

/// A live emulator on 127.0.0.1 with a temporary state folder, and a raw HTTP client for it.
///
/// It is stopped when the test case ends, however it ends (the `.cleansUp` trait, which the test or its
/// suite must have); a test may stop it earlier itself.
struct EmulatorHarness: EmulatorClient {
    static let key = "test-key"

    let emulator: RunningEmulator
    let stateDirectory: URL
    private let stopped = OnceFlag()

    /// Starts an emulator; `adjust` may change the configuration (granularity, limits, ...).
    /// The suites written against the seed page run on `catalog` 2025, whose rules they pin;
    /// the tests of today's models pass `.y2026`.
    static func start(
        stateDirectory: URL? = nil, catalog: EmulatorConfiguration.Catalog = .y2025,
        _ adjust: (inout EmulatorConfiguration) -> Void = { _ in }
    ) async throws -> EmulatorHarness {
        let directory =
            stateDirectory
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("emulator-test-\(UUID().uuidString)")
        var logger = Logger(label: "emulator-test")
        logger.logLevel = .warning
        var config = EmulatorConfiguration(logger: logger)
        config.apiKey = key
        config.stateDirectory = directory
        config.catalog = catalog
        adjust(&config)
        let emulator = try await EmulatorServer.start(config: config)
        let harness = EmulatorHarness(emulator: emulator, stateDirectory: directory)
        try await TestCleanups.register { await harness.stop() }
        return harness
    }

    /// Stops the server (once: later calls leave it be); `keepState` leaves the folder for a restart.
    func stop(keepState: Bool = false) async {
        if stopped.claim() { await emulator.stop() }
        if !keepState { try? FileManager.default.removeItem(at: stateDirectory) }
    }

    var port: Int { emulator.port }

    typealias Reply = EmulatorReply
}

/// What an emulator answered.
struct EmulatorReply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: WireJSON? { try? WireJSONParser.parse(body) }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}

/// Raw HTTP requests to an emulator on 127.0.0.1:`port` (in-process or a child process).
protocol EmulatorClient: Sendable {
    var port: Int { get }
}

extension EmulatorClient {
    /// One request on a fresh connection (so a dropped connection cannot spoil the next one).
    func send(
        _ method: HTTPRequest.Method, _ path: String, headers: [String: String] = [:], body: Data = Data(),
        withKey: Bool = true
    ) async throws -> EmulatorReply {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        if withKey && fields[HTTPField.Name("x-goog-api-key")!] == nil {
            fields[HTTPField.Name("x-goog-api-key")!] = EmulatorHarness.key
        }
        fields[.contentLength] = String(body.count)
        let request = TestClient.Request(path, method: method, headers: fields, body: ByteBuffer(bytes: body))
        // A long read timeout: on 2 cores the whole suite's CPU-heavy tests can keep the emulator's handlers
        // waiting for a thread of the cooperative pool for over a minute; a real hang still fails.
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(300))) {
            client in
            try await client.execute(request)
        }
        let bytes = response.body.map { Data($0.readableBytesView) } ?? Data()
        return EmulatorReply(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    func postJSON(_ path: String, _ json: String, headers: [String: String] = [:]) async throws -> EmulatorReply {
        try await send(.post, path, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: Data(json.utf8))
    }

    /// Starts a resumable upload and returns the session path (`/upload/...?upload_id=...`).
    func startUpload(size: Int?, mimeType: String = "application/octet-stream", displayName: String = "test") async throws -> String {
        var headers = [
            "X-Goog-Upload-Protocol": "resumable",
            "X-Goog-Upload-Command": "start",
            "X-Goog-Upload-Header-Content-Type": mimeType,
        ]
        if let size { headers["X-Goog-Upload-Header-Content-Length"] = String(size) }
        let reply = try await postJSON("/upload/v1beta/files", #"{"file": {"display_name": "\#(displayName)"}}"#, headers: headers)
        guard reply.status == 200, let url = reply.header("X-Goog-Upload-URL"), let parsed = URL(string: url) else {
            throw HarnessError(message: "upload start failed: \(reply.status) \(reply.text)")
        }
        return parsed.path + "?" + (parsed.query ?? "")
    }

    func chunk(_ session: String, command: String, offset: Int?, bytes: Data = Data()) async throws -> EmulatorReply {
        var headers = ["X-Goog-Upload-Command": command]
        if let offset { headers["X-Goog-Upload-Offset"] = String(offset) }
        return try await send(.post, session, headers: headers, body: bytes, withKey: false)
    }

    /// Uploads `bytes` in one request and returns the `File` resource.
    func uploadFile(_ bytes: Data, mimeType: String) async throws -> WireJSON {
        let session = try await startUpload(size: bytes.count, mimeType: mimeType)
        let reply = try await chunk(session, command: "upload, finalize", offset: 0, bytes: bytes)
        guard let file = reply.json?["file"] else { throw HarnessError(message: "upload failed: \(reply.status) \(reply.text)") }
        return file
    }

    func admin(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil) async throws -> EmulatorReply {
        try await send(method, "/_emulator/\(path)", body: Data((json ?? "").utf8), withKey: false)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `count` bytes of a repeating pattern.
func patternBytes(_ count: Int, seed: UInt8 = 7) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
}
