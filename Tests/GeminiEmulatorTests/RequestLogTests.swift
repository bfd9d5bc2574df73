import Crypto
import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// The request log as a chaos-run driver reads it: media fingerprints, response ids, the log file.
@Suite(.cleansUp) struct RequestLogTests {
    static let generate = "/v1beta/models/gemini-2.5-flash:generateContent"

    func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func inline(_ data: Data) -> String {
        #"{"inline_data": {"mime_type": "text/plain", "data": "\#(data.base64EncodedString())"}}"#
    }

    func logEntries(_ emulator: EmulatorHarness) async throws -> [WireJSON] {
        try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
    }

    @Test func mediaPartsAreFingerprintedInRequestOrder() async throws {
        let emulator = try await EmulatorHarness.start()
        let stored = Data("stored file bytes".utf8)
        let file = try await emulator.uploadFile(stored, mimeType: "text/plain")
        let uri = try #require(file["uri"]?.stringValue)
        let encodedHash = try #require(file["sha256Hash"]?.stringValue)
        let hashFromFile = String(decoding: try #require(Data(base64Encoded: encodedHash)), as: UTF8.self)
        let first = Data("first inline".utf8)
        let second = Data("second inline".utf8)
        let parts = [
            inline(first), #"{"text": "compare these"}"#,
            #"{"file_data": {"file_uri": "\#(uri)", "mime_type": "text/plain"}}"#, inline(second),
        ]

        let reply = try await emulator.postJSON(Self.generate, #"{"contents": [{"parts": [\#(parts.joined(separator: ","))]}]}"#)
        let count = try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-flash:countTokens",
            #"{"contents": [{"parts": [\#(inline(second))]}]}"#)
        let missing = try await emulator.postJSON(
            Self.generate,
            #"""
            {"contents": [{"parts": [{"file_data": {"file_uri": "files/nosuchfile", "mime_type": "text/plain"}}, {"text": "x"}]}]}
            """#)

        #expect(reply.status == 200)
        #expect(count.status == 200)
        #expect(missing.status == 403)
        let log = try await logEntries(emulator).filter { $0["model"] != nil }
        #expect(log.count == 3)
        #expect(log[0]["mediaSHA256"] == .array([.string(sha256(first)), .string(sha256(stored)), .string(sha256(second))]))
        #expect(hashFromFile == sha256(stored))
        #expect(log[0]["responseId"] == reply.json?["responseId"])
        #expect(log[0]["responseId"]?.stringValue?.count == 23)
        #expect(log[1]["mediaSHA256"] == .array([.string(sha256(second))]))
        #expect(log[1]["responseId"] == nil)
        #expect(log[2]["mediaSHA256"] == .array([.string("missing")]))
        #expect(log[2]["responseId"] == nil)
        await emulator.stop()
    }

    @Test func theSamePromptAndImageSentTwiceLogTheSameFingerprintButNewResponseIds() async throws {
        let emulator = try await EmulatorHarness.start()
        let body = #"{"contents": [{"parts": [\#(inline(Data("same".utf8))), {"text": "describe"}]}]}"#

        let first = try await emulator.postJSON(Self.generate, body)
        let second = try await emulator.postJSON(Self.generate, body)

        let log = try await logEntries(emulator)
        #expect(first.status == 200 && second.status == 200)
        #expect(log.count == 2)
        #expect(log[0]["mediaSHA256"] == log[1]["mediaSHA256"])
        #expect(log[0]["promptText"] == log[1]["promptText"])
        #expect(log[0]["responseId"] != log[1]["responseId"])
        await emulator.stop()
    }

    @Test func theLogFileGetsEveryEntryAsItIsAnsweredAndOutlivesARestart() async throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-log-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: logFile) }
        func lines() throws -> [WireJSON] {
            let text = try String(contentsOf: logFile, encoding: .utf8)
            #expect(text.hasSuffix("\n"))
            return try text.split(separator: "\n").map { try WireJSONParser.parse(Data($0.utf8)) }
        }
        let first = try await EmulatorHarness.start { $0.requestLogFile = logFile }

        let answered = try await first.postJSON(Self.generate, #"{"contents": [{"parts": [{"text": "one"}]}]}"#)
        let afterOne = try lines()
        _ = try await first.send(.get, "/v1beta/files?key=\(EmulatorHarness.key)&pageSize=5", withKey: false)
        _ = try await first.admin(.get, "health")
        let memory = try #require(try await first.admin(.get, "requests").json)
        await first.stop(keepState: true)
        let second = try await EmulatorHarness.start(stateDirectory: first.stateDirectory) { $0.requestLogFile = logFile }
        _ = try await second.postJSON(Self.generate, #"{"contents": [{"parts": [{"text": "two"}]}]}"#)
        await second.stop()

        let all = try lines()
        #expect(afterOne.count == 1)
        #expect(afterOne.first?["responseId"] == answered.json?["responseId"])
        #expect(all.count == 3)
        #expect(WireJSON.array(Array(all.prefix(2))) == memory)
        #expect(all.map { $0["promptText"] } == [.string("one"), nil, .string("two")])
        #expect(all[1]["query"] == .string("key=REDACTED&pageSize=5"))
        #expect(all[0]["headers"]?["x-goog-api-key"] == .string("REDACTED"))
        let text = try String(contentsOf: logFile, encoding: .utf8)
        #expect(!text.contains(EmulatorHarness.key))
        let permissions = try FileManager.default.attributesOfItem(atPath: logFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func droppedRequestsReachTheLogFileToo() async throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-log-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let emulator = try await EmulatorHarness.start { $0.requestLogFile = logFile }
        _ = try await emulator.admin(.post, "faults", #"[{"route": "generateContent", "action": "drop"}]"#)

        await #expect(throws: (any Error).self) {
            _ = try await emulator.postJSON(Self.generate, #"{"contents": [{"parts": [{"text": "lost"}]}]}"#)
        }
        await emulator.stop()

        let text = try String(contentsOf: logFile, encoding: .utf8)
        let entry = try WireJSONParser.parse(Data(text.utf8))
        #expect(entry["status"] == .int(0))
        #expect(entry["fault"] == .string("drop"))
        #expect(entry["promptText"] == .string("lost"))
    }

    @Test func queryKeysAreRedactedWhateverTheirSpelling() {
        #expect(LoggedRequest.redactQuery("key=secret&alt=sse") == "key=REDACTED&alt=sse")
        #expect(LoggedRequest.redactQuery("alt=sse&KEY=secret") == "alt=sse&KEY=REDACTED")
        #expect(LoggedRequest.redactQuery("%6Bey=secret") == "%6Bey=REDACTED")
        #expect(LoggedRequest.redactQuery("monkey=1") == "monkey=1")
    }
}
