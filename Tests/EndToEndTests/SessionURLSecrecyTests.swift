import DropsightTestSupport
import Foundation
import Store
import Testing

@testable import Dropsight

/// An upload session's URL is its credential (`upload_id=`): a transport error on it names the endpoint
/// without the query, in the journal, the state database and the sidecar.
@Suite(.serialized, .cleansUp) struct SessionURLSecrecyTests {
    @Test func aDroppedUploadChunkNeverShowsTheUploadID() async throws {
        let h = try await Harness(api: "transport = \"files\"\nmax_attempts = 1")
        try await h.admin(
            "_emulator/faults", [["route": "upload", "command": "upload, finalize", "action": "drop", "count": 1000]])
        let daemon = try await RunningDaemon.start(h)
        let image = try h.dropImage(named: "photo.jpg")

        let sidecar = try #require(await h.waitForSidecar(image, seconds: 120), "no sidecar")
        let error = try #require(sidecar.prompts["caption"]?.error, "the upload did not fail: \(sidecar.prompts)")
        #expect(error.message.contains("/upload/"), "the error should name the endpoint: \(error.message)")
        #expect(!error.message.contains("upload_id"), "\(error.message)")
        #expect(!error.message.contains("?"), "\(error.message)")
        await h.waitUntilRecorded()
        await daemon.stop()

        #expect(daemon.logs.contains("/upload/"), "the failure should be logged: \(daemon.logs.lines)")
        #expect(!daemon.logs.contains("upload_id"), "\(daemon.logs.lines.filter { $0.contains("upload_id") })")
        let status = try await Store.openReadOnly(path: h.stateDir + "/dropsight.sqlite3").status(now: Date())
        let failures = status.recentFailures.map(\.failure.message)
        #expect(failures.contains { $0.contains("/upload/") }, "\(failures)")
        #expect(!failures.contains { $0.contains("upload_id") }, "\(failures)")
        await h.stop()
    }
}
