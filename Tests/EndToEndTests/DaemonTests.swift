import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

@Suite(.serialized, .cleansUp) struct DaemonTests {
    /// Part 1's promise: a JPEG dropped into a watched folder comes back with a sidecar holding the caption.
    @Test func droppedJPEGComesBackWithASidecar() async throws {
        let h = try await Harness()
        let notifier = RecordingNotifier()
        let daemon = Daemon(runtime: try h.runtime(), configPath: h.configPath, environment: h.environment, notifier: notifier)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            // A daemon that ends (or hangs) before READY fails the test instead of holding it forever;
            // leaving the group by a throw cancels the daemon.
            let deadline = Date().addingTimeInterval(60)
            while !notifier.all.contains("READY=1") {
                if Date() > deadline { throw TestFailure("the daemon did not report READY within 60 s") }
                try await Task.sleep(for: .milliseconds(50))
            }
            let image = try h.dropImage(named: "red square.jpg")
            let sidecar = try #require(await h.waitForSidecar(image))
            group.cancelAll()

            let caption = try #require(sidecar.prompts["caption"])
            #expect(caption.status == .ok)
            #expect(caption.text?.contains("64x48") == true)
            #expect(caption.text?.contains("red") == true)
            #expect(caption.usage?.promptTokens ?? 0 >= 258)
            #expect(caption.model == "gemini-2.5-flash")
            #expect(caption.sent?.transport == "inline")
            #expect(sidecar.image.file == "red square.jpg")
            #expect(sidecar.image.mimeType == "image/jpeg")
            #expect(sidecar.image.width == 64 && sidecar.image.height == 48)
            #expect(sidecar.image.sha256 == (try FileHash.sha256Hex(path: image)))

            let sent = try await h.generateRequests()
            #expect(sent.count == 1)
            #expect(sent.first?["partKinds"] as? [String] == ["inlineData", "text"])
            // The daemon never takes its own sidecar for a new image.
            let names = try FileManager.default.contentsOfDirectory(atPath: h.inbox).sorted()
            #expect(names == ["red square.jpg", "red square.jpg.dropsight.json"])
        }
        await h.stop()
    }
}
