import Crypto
import DropsightTestSupport
import Foundation
import GeminiAPI
import GeminiEmulator
import HTTPTransport
import Imaging
import Logging

/// An in-process emulator on loopback with a `GeminiClient` for it, stopped when the test ends
/// (the `.cleansUp` trait).
struct BatchEmulator {
    static let key = "batch-test-key"

    let emulator: RunningEmulator
    let client: GeminiClient
    let folder: TemporaryFolder

    /// Batches pending and running for `pendingSeconds` and `runningSeconds` (0: done once computed).
    static func start(pendingSeconds: Double = 0, runningSeconds: Double = 0) async throws -> BatchEmulator {
        var logger = Logger(label: "batch-emulator")
        logger.logLevel = .warning
        var config = EmulatorConfiguration(logger: logger)
        config.apiKey = key
        config.catalog = .y2025
        config.batchPendingSeconds = pendingSeconds
        config.batchRunningSeconds = runningSeconds
        let emulator = try await EmulatorServer.start(config: config)
        try await TestCleanups.register { await emulator.stop() }
        let client = GeminiClient(transport: try CurlTransport(), baseURL: emulator.baseURL.absoluteString, apiKey: key)
        return BatchEmulator(emulator: emulator, client: client, folder: try TemporaryFolder(prefix: "batch-tests"))
    }

    /// Uploads `data` through the client's Files API.
    func upload(_ data: Data, name: String, mimeType: String) async throws -> GeminiFile {
        let path = try folder.write(data, to: name)
        let hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let source = FileUploader.Source(path: path, size: Int64(data.count), sha256: hex, mimeType: mimeType, displayName: name)
        return try await FileUploader(client: client).upload(source, resuming: nil) { _ in }
    }

    /// Polls `batches.get` until the batch is over and returns it.
    func waitUntilDone(_ name: String) async throws -> BatchJob {
        var job = try await client.batch(name: name)
        _ = await poll(upTo: 60) {
            job = try await client.batch(name: name)
            return job.state.isDone
        }
        return job
    }

    /// Calls an `/_emulator/` admin endpoint and returns its status and JSON answer.
    @discardableResult
    func admin(_ method: String, _ path: String, _ json: String? = nil) async throws -> (status: Int, json: Any?) {
        let request = HTTPRequest(
            method: method, url: emulator.baseURL.absoluteString + "/_emulator/" + path,
            headers: json == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
            body: json.map { .bytes(Data($0.utf8)) } ?? .none)
        let response = try await client.transport.send(request)
        return (response.status, try? JSONSerialization.jsonObject(with: response.body))
    }

    /// The request log's entries (`GET /_emulator/requests`).
    func requests() async throws -> [[String: Any]] {
        try await admin("GET", "requests").json as? [[String: Any]] ?? []
    }

    /// A white `width`x`height` PNG with a filled square at (10, 10), 40 pixels wide.
    static func png(width: Int, height: Int, square color: [UInt8]) throws -> Data {
        var image = PixelImage(width: width, height: height, fill: [255, 255, 255])
        image.fillRect(x: 10, y: 10, width: 40, height: 40, color: color)
        return try ImageCodec.encodePNG(image)
    }

    /// A text-only generateContent request.
    static func textRequest(_ text: String) -> GenerateContentRequest {
        GenerateContentRequest(contents: [Content(parts: [.text(text)])])
    }
}
