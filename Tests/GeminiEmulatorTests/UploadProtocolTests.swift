import Crypto
import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// The resumable upload protocol's edge cases, over real sockets, with a 1 KiB granularity.
@Suite(.cleansUp) struct UploadProtocolTests {
    static let granule = 1024

    func harness(stateDirectory: URL? = nil) async throws -> EmulatorHarness {
        try await EmulatorHarness.start(stateDirectory: stateDirectory) { $0.chunkGranularity = Self.granule }
    }

    @Test func chunksAssembleIntoAFileWithTheRealMetadata() async throws {
        let emulator = try await harness()
        let data = patternBytes(2 * Self.granule + 300)
        let session = try await emulator.startUpload(size: data.count, mimeType: "text/plain", displayName: "notes")

        let first = try await emulator.chunk(session, command: "upload", offset: 0, bytes: data.prefix(2 * Self.granule))
        let last = try await emulator.chunk(
            session, command: "upload, finalize", offset: 2 * Self.granule,
            bytes: data.suffix(300))

        #expect(first.status == 200)
        #expect(first.header("X-Goog-Upload-Status") == "active")
        #expect(last.status == 200)
        #expect(last.header("X-Goog-Upload-Status") == "final")
        let file = try #require(last.json?["file"])
        #expect(file["sizeBytes"] == .string(String(data.count)))
        #expect(file["displayName"] == .string("notes"))
        #expect(file["state"] == .string("ACTIVE"))
        let hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        #expect(file["sha256Hash"] == .string(Data(hex.utf8).base64EncodedString()))
        let name = try #require(file["name"]?.stringValue)
        let stored = try Data(contentsOf: emulator.stateDirectory.appendingPathComponent("files/\(name.dropFirst(6)).bin"))
        #expect(stored == data)
        let uri = try #require(file["uri"]?.stringValue)
        #expect(uri == "\(emulator.emulator.baseURL.absoluteString)/v1beta/\(name)")
        await emulator.stop()
    }

    @Test func nonFinalChunkOffGranularityIsRefusedInPlainText() async throws {
        let emulator = try await harness()
        let session = try await emulator.startUpload(size: 3000)

        let refused = try await emulator.chunk(session, command: "upload", offset: 0, bytes: patternBytes(1500))

        #expect(refused.status == 400)
        #expect(refused.text == "The client sent 1500 bytes, which is not a multiple of the 1024 byte chunk granularity.")
        #expect(refused.header("Content-Type")?.hasPrefix("text/plain") == true)
        let query = try await emulator.chunk(session, command: "query", offset: nil)
        #expect(query.header("X-Goog-Upload-Size-Received") == "0")
        // A final chunk may have any size.
        let whole = try await emulator.chunk(session, command: "upload, finalize", offset: 0, bytes: patternBytes(3000))
        #expect(whole.header("X-Goog-Upload-Status") == "final")
        await emulator.stop()
    }

    @Test func offsetMustMatchTheBytesReceived() async throws {
        let emulator = try await harness()
        let session = try await emulator.startUpload(size: 4096)
        _ = try await emulator.chunk(session, command: "upload", offset: 0, bytes: patternBytes(1024))

        let wrong = try await emulator.chunk(session, command: "upload", offset: 2048, bytes: patternBytes(1024))

        #expect(wrong.status == 400)
        #expect(wrong.header("X-Goog-Upload-Status") == "active")
        #expect(wrong.text.contains("has received 1024 bytes"))
        let query = try await emulator.chunk(session, command: "query", offset: nil)
        #expect(query.header("X-Goog-Upload-Size-Received") == "1024")
        await emulator.stop()
    }

    @Test func queryAfterADroppedConnectionReportsWholeGranulesAndTheUploadResumes() async throws {
        let emulator = try await harness()
        let data = patternBytes(4 * Self.granule)
        let session = try await emulator.startUpload(size: data.count)
        _ = try await emulator.admin(
            .post, "faults",
            #"[{"route": "upload", "command": "upload", "action": "drop", "afterBytes": 2500}]"#)

        await #expect(throws: (any Error).self) {
            _ = try await emulator.chunk(session, command: "upload", offset: 0, bytes: data.prefix(3 * Self.granule))
        }

        let query = try await emulator.chunk(session, command: "query", offset: nil)
        #expect(query.status == 200)
        #expect(query.header("X-Goog-Upload-Status") == "active")
        #expect(query.header("X-Goog-Upload-Size-Received") == "2048")
        let rest = try await emulator.chunk(session, command: "upload, finalize", offset: 2048, bytes: data.suffix(from: 2048))
        #expect(rest.header("X-Goog-Upload-Status") == "final")
        #expect(rest.json?["file"]?["sizeBytes"] == .string("4096"))
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        let dropped = try #require(log.first { $0["fault"] == .string("drop") })
        #expect(dropped["status"] == .int(0))
        #expect(dropped["bytes"] == .int(2500))
        await emulator.stop()
    }

    @Test func cancelEndsTheSession() async throws {
        let emulator = try await harness()
        let session = try await emulator.startUpload(size: 2048)
        _ = try await emulator.chunk(session, command: "upload", offset: 0, bytes: patternBytes(1024))

        let cancelled = try await emulator.chunk(session, command: "cancel", offset: nil)
        let afterwards = try await emulator.chunk(session, command: "upload, finalize", offset: 1024, bytes: patternBytes(1024))

        #expect(cancelled.status == 200)
        #expect(cancelled.header("X-Goog-Upload-Status") == "cancelled")
        #expect(afterwards.status == 400)
        #expect(afterwards.header("X-Goog-Upload-Status") == "cancelled")
        let query = try await emulator.chunk(session, command: "query", offset: nil)
        #expect(query.header("X-Goog-Upload-Status") == "cancelled")
        await emulator.stop()
    }

    @Test func sessionsAndFilesSurviveARestartWithTheStateDirectory() async throws {
        let first = try await harness()
        let data = patternBytes(3 * Self.granule)
        let pending = try await first.startUpload(size: data.count)
        _ = try await first.chunk(pending, command: "upload", offset: 0, bytes: data.prefix(Self.granule))
        let doneSession = try await first.startUpload(size: 10)
        let done = try await first.chunk(doneSession, command: "upload, finalize", offset: 0, bytes: patternBytes(10))
        let doneName = try #require(done.json?["file"]?["name"]?.stringValue)
        await first.stop(keepState: true)

        let second = try await harness(stateDirectory: first.stateDirectory)
        let query = try await second.chunk(pending, command: "query", offset: nil)
        let finish = try await second.chunk(
            pending, command: "upload, finalize", offset: Self.granule,
            bytes: data.suffix(from: Self.granule))
        let fetched = try await second.send(.get, "/v1beta/\(doneName)")

        #expect(query.header("X-Goog-Upload-Size-Received") == String(Self.granule))
        #expect(finish.header("X-Goog-Upload-Status") == "final")
        #expect(finish.json?["file"]?["sizeBytes"] == .string(String(data.count)))
        #expect(fetched.status == 200)
        #expect(fetched.json?["sizeBytes"] == .string("10"))
        await second.stop()
    }

    @Test func unknownSessionIsNotFound() async throws {
        let emulator = try await harness()
        let reply = try await emulator.chunk(
            "/upload/v1beta/files?upload_id=nope&upload_protocol=resumable",
            command: "query", offset: nil)
        #expect(reply.status == 404)
        #expect(reply.header("X-Goog-Upload-Status") == nil)
        await emulator.stop()
    }
}
