import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Files over time: PROCESSING, ACTIVE, expiry after 48 h, deletion, listing.
@Suite(.cleansUp) struct FilesLifecycleTests {
    func upload(_ emulator: EmulatorHarness, _ bytes: Data, mimeType: String = "image/png") async throws -> WireJSON {
        let session = try await emulator.startUpload(size: bytes.count, mimeType: mimeType)
        let reply = try await emulator.chunk(session, command: "upload, finalize", offset: 0, bytes: bytes)
        return try #require(reply.json?["file"])
    }

    func generate(_ emulator: EmulatorHarness, uri: String) async throws -> EmulatorHarness.Reply {
        try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            #"{"contents": [{"parts": [{"file_data": {"file_uri": "\#(uri)", "mime_type": "image/png"}}, {"text": "Describe"}]}]}"#)
    }

    @Test func processingFilesRefuseUseUntilActive() async throws {
        let emulator = try await EmulatorHarness.start { $0.processingSeconds = 600 }
        let file = try await upload(emulator, Data("not an image".utf8))
        let uri = try #require(file["uri"]?.stringValue)
        let id = try #require(file["name"]?.stringValue?.dropFirst(6))

        let early = try await generate(emulator, uri: uri)
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 601}"#)
        let fetched = try await emulator.send(.get, "/v1beta/files/\(id)")

        #expect(file["state"] == .string("PROCESSING"))
        #expect(early.status == 400)
        #expect(early.json?["error"]?["status"] == .string("FAILED_PRECONDITION"))
        #expect(early.json?["error"]?["message"] == .string("The File \(id) is not in an ACTIVE state and usage is not allowed."))
        #expect(fetched.json?["state"] == .string("ACTIVE"))
        #expect(fetched.json?["updateTime"] != fetched.json?["createTime"])
        await emulator.stop()
    }

    @Test func filesExpireAfter48HoursAndDisappearFromDisk() async throws {
        let emulator = try await EmulatorHarness.start()
        let file = try await upload(emulator, Data("bytes".utf8), mimeType: "text/plain")
        let id = try #require(file["name"]?.stringValue?.dropFirst(6))
        let onDisk = emulator.stateDirectory.appendingPathComponent("files/\(id).bin")
        #expect(FileManager.default.fileExists(atPath: onDisk.path))

        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 176400}"#)
        let fetched = try await emulator.send(.get, "/v1beta/files/\(id)")
        let used = try await generate(emulator, uri: "files/\(id)")

        #expect(fetched.status == 403)
        #expect(fetched.json?["error"]?["message"] == .string("You do not have permission to access the File \(id) or it may not exist."))
        #expect(used.status == 403)
        #expect(!FileManager.default.fileExists(atPath: onDisk.path))
        await emulator.stop()
    }

    @Test func theClockOffsetSurvivesARestartSoExpiredFilesStayExpired() async throws {
        let first = try await EmulatorHarness.start()
        let name = try #require(try await upload(first, Data("x".utf8), mimeType: "text/plain")["name"]?.stringValue)
        _ = try await first.admin(.post, "clock", #"{"advanceSeconds": 176400}"#)
        await first.stop(keepState: true)

        let second = try await EmulatorHarness.start(stateDirectory: first.stateDirectory)
        let clock = try await second.admin(.get, "clock")
        let fetched = try await second.send(.get, "/v1beta/\(name)")

        #expect(clock.json?["offsetSeconds"]?.doubleValue == 176400)
        #expect(fetched.status == 403)
        await second.stop()
    }

    @Test func listingPagesNewestFirstAndAnEmptyListIsAnEmptyObject() async throws {
        let emulator = try await EmulatorHarness.start()
        let empty = try await emulator.send(.get, "/v1beta/files")
        #expect(empty.json == .object([]))
        var names: [String] = []
        for index in 0..<3 {
            names.append(try #require(try await upload(emulator, Data("file \(index)".utf8), mimeType: "text/plain")["name"]?.stringValue))
        }

        let first = try await emulator.send(.get, "/v1beta/files?pageSize=2")
        let token = try #require(first.json?["nextPageToken"]?.stringValue)
        let second = try await emulator.send(.get, "/v1beta/files?pageSize=2&pageToken=\(token)")

        let firstNames = first.json?["files"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let secondNames = second.json?["files"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Set(firstNames + secondNames) == Set(names))
        #expect(firstNames.count == 2 && secondNames.count == 1)
        #expect(second.json?["nextPageToken"] == nil)
        await emulator.stop()
    }

    @Test func deleteAnswersAnEmptyObjectThenTheFileIsGone() async throws {
        let emulator = try await EmulatorHarness.start()
        let name = try #require(try await upload(emulator, Data("x".utf8), mimeType: "text/plain")["name"]?.stringValue)

        let deleted = try await emulator.send(.delete, "/v1beta/\(name)")
        let again = try await emulator.send(.delete, "/v1beta/\(name)")

        #expect(deleted.status == 200)
        #expect(deleted.json == .object([]))
        #expect(again.status == 403)
        await emulator.stop()
    }

    @Test func fileAndProjectLimitsAreEnforced() async throws {
        let emulator = try await EmulatorHarness.start {
            $0.maxFileBytes = 100
            $0.maxProjectBytes = 150
        }
        let tooBig = try await emulator.postJSON(
            "/upload/v1beta/files", "{}",
            headers: [
                "X-Goog-Upload-Protocol": "resumable", "X-Goog-Upload-Command": "start",
                "X-Goog-Upload-Header-Content-Length": "101",
            ])
        _ = try await upload(emulator, patternBytes(100), mimeType: "text/plain")
        let full = try await emulator.postJSON(
            "/upload/v1beta/files", "{}",
            headers: [
                "X-Goog-Upload-Protocol": "resumable", "X-Goog-Upload-Command": "start",
                "X-Goog-Upload-Header-Content-Length": "60",
            ])

        #expect(tooBig.status == 400)
        #expect(tooBig.json?["error"]?["message"]?.stringValue?.contains("maximum allowed file size of 100 bytes") == true)
        #expect(full.status == 400)
        #expect(full.json?["error"]?["message"]?.stringValue?.contains("at most 150 bytes") == true)
        await emulator.stop()
    }
}
