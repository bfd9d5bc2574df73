import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// `api.delete_after_use` across restarts: which image uses which upload is kept in the Store.
@Suite(.serialized, .cleansUp) struct DeleteAfterUseTests {
    /// An image whose first prompt ran (and uploaded its copy) before a restart and whose second prompt ran after
    /// it: once the image is done, the upload made before the restart is deleted too.
    @Test func uploadsMadeBeforeARestartAreDeletedOnceTheImageIsDone() async throws {
        let h = try await Harness(
            prompts: """
                [prompt.caption]
                text = "Write a one-sentence caption for this photo."

                [prompt.tiny]
                text = "Name the main colour of this small thumbnail."
                resolution = 32
                """, folderPrompts: ["caption", "tiny"], api: "transport = \"files\"\ndelete_after_use = true")
        // The thumbnail prompt fails (503, retried later) until the restart, so the image is not done before it.
        try await h.admin(
            "_emulator/faults",
            [
                [
                    "route": "generateContent", "promptContains": "small thumbnail",
                    "status": 503, "count": 1000,
                ]
            ])
        let image = try h.dropImage(named: "photo.jpg")
        let first = try await RunningDaemon.start(h)
        let halfDone = await eventually(60) {
            try await h.generateRequests().contains { ($0["status"] as? Int) == 503 }
                && h.sidecar(of: image)?.prompts["caption"]?.status == .ok
        }
        await first.stop()
        try #require(halfDone, "the caption did not finish, or the thumbnail prompt was never tried")
        let uploads = try await h.runtime().store.uploads().filter { $0.state == .active }.map(\.name)
        try #require(uploads.count == 2, "expected the caption's and the thumbnail's copies uploaded: \(uploads)")

        try await h.admin("_emulator/faults", [Any]())
        let second = try await RunningDaemon.start(h)
        let deleted = await eventually(60) { Set(try await deleteRequests(h)).isSuperset(of: uploads) }
        await second.stop()
        let deletes = try await deleteRequests(h)

        #expect(h.sidecar(of: image)?.prompts["tiny"]?.status == .ok)
        #expect(deleted, "DELETE requests: \(deletes), uploads: \(uploads)")
        for name in uploads { #expect(try await h.filesAPI("GET", name) == 403, "\(name) is still there") }
    }

    /// An upload two images share, made by one process, is kept while one of them is still to finish in the next
    /// process, and deleted when the last one is done.
    @Test func aSharedUploadOutlivesARestartUntilItsLastImageIsDone() async throws {
        let h = try await Harness(api: "delete_after_use = true")
        let one = try h.dropImage(named: "one.jpg")
        let two = try h.dropImage(named: "two.jpg")  // the same bytes: one upload serves both
        let data = try Data(contentsOf: URL(fileURLWithPath: one))
        let name: String
        do {
            let before = try h.runtime()
            let a = try await before.files.file(for: data, mimeType: "image/jpeg", displayName: "one.jpg", forImage: one)
            let b = try await before.files.file(for: data, mimeType: "image/jpeg", displayName: "two.jpg", forImage: two)
            #expect(b.name == a.name && b.reused)
            name = a.name
        }
        let after = try h.runtime()  // a new process: nothing of the first one in memory
        #expect(await after.files.releaseUploads(forImage: one) == [])
        #expect(try await h.filesAPI("GET", name) == 200)
        #expect(await after.files.releaseUploads(forImage: two) == [name])
        #expect(try await h.filesAPI("GET", name) == 403)
        #expect(try await deleteRequests(h) == [name])
    }

    /// Names of the files the emulator was asked to DELETE, oldest first.
    func deleteRequests(_ h: Harness) async throws -> [String] {
        try await h.requests().filter { ($0["method"] as? String) == "DELETE" }
            .compactMap { ($0["path"] as? String)?.replacingOccurrences(of: "/v1beta/", with: "") }
    }
}
