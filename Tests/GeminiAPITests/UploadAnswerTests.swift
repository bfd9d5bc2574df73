import Foundation
import Testing

@testable import GeminiAPI

/// The File resources the upload check relies on, read from real captured answers.
struct UploadAnswerTests {
    /// A captured finalize answer (`shared/reference/gemini-examples/files_upload_finalize_response_video_PROCESSING.json`).
    static let finalizeAnswer = """
        {"file": {"name": "files/4if4o2bqvugf", "displayName": "Big Buck Bunny", "mimeType": "video/mp4",
          "sizeBytes": "64657027", "createTime": "2024-08-26T08:24:56.068012Z", "updateTime": "2024-08-26T08:24:56.068012Z",
          "expirationTime": "2024-08-28T08:24:56.049455995Z",
          "sha256Hash": "Zjc4ZjM5NjAzZTY3NzQ5MDdmMmZhYWZhYmYyNmE2NjdmNGE2ZmMzMTc2OWVjMzA0YThhOGY3YzYyZDI4MDUwOA==",
          "uri": "https://generativelanguage.googleapis.com/v1beta/files/4if4o2bqvugf", "state": "PROCESSING"}}
        """

    /// The finalize answer wraps the File; its `sha256Hash` is base64 of the hex digest, which the upload compares with ours.
    @Test func finalizeAnswerDecodes() throws {
        struct Wrapped: Decodable { var file: GeminiFile }
        let file = try JSONDecoder().decode(Wrapped.self, from: Data(Self.finalizeAnswer.utf8)).file
        #expect(file.name == "files/4if4o2bqvugf")
        #expect(file.sizeBytes == 64_657_027)
        #expect(file.sha256Hex == "f78f39603e6774907f2faafabf26a667f4a6fc31769ec304a8a8f7c62d280508")
        #expect(file.state == "PROCESSING")
        let lifetime = try #require(file.expirationTime).timeIntervalSince(try #require(file.createTime))
        #expect(abs(lifetime - 48 * 3600) < 1)
    }

    /// Nine fractional digits keep their sub-second part (the reuse margin compares expiry times).
    @Test func nanosecondTimestampsParse() throws {
        let date = try #require(RFC3339.parse("2024-08-28T08:24:56.049455995Z"))
        let whole = try #require(RFC3339.parse("2024-08-28T08:24:56Z"))
        #expect(abs(date.timeIntervalSince(whole) - 0.049455995) < 1e-6)
    }

    /// A hash that is not base64 of a hex digest yields no digest, never a wrong one.
    @Test func undecodableHashHasNoHex() {
        #expect(GeminiFile(name: "files/x", sha256Hash: "not base64!").sha256Hex == nil)
    }
}
