import Foundation
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Fairness {
        /// Folder A has a backlog of 500 images; a photo dropped into folder B is processed next, long before
        /// A's backlog is through.
        @Test func aNewPhotoInAnotherFolderDoesNotWaitForABacklog() async throws {
            let h = try await Harness { $0.latencyMilliseconds = 50 }
            let a = try h.folder("a")
            let b = try h.folder("b")
            try h.writeConfig(
                folders: [.init(path: a, prompts: ["caption"]), .init(path: b, prompts: ["caption_b"])],
                prompts: Harness.captionPrompt + """

                    [prompt.caption_b]
                    text = "Caption this photo from folder B."
                    """, api: "max_concurrency = 2\nbatch = \"off\"")
            let data = try Harness.jpeg()
            for i in 0..<500 { try writeInPlace(data, to: a + String(format: "/backlog-%03d.jpg", i)) }
            let daemon = try await RunningDaemon.start(h)
            #expect(await eventually(60) { completeSidecars(in: a, prompts: 1) >= 10 })

            let photo = b + "/new.jpg"
            try writeInPlace(try Harness.jpeg(width: 80, height: 60), to: photo)
            #expect(await eventually(60) { h.sidecar(of: photo) != nil })
            let doneInA = completeSidecars(in: a, prompts: 1)
            await daemon.stop()

            #expect(doneInA < 100, "folder B's photo waited for \(doneInA) of folder A's images")
            let requests = try await h.generateRequests()
            let fromB = requests.filter { ($0["promptText"] as? String)?.contains("folder B") == true }
            #expect(fromB.count == 1)
            await h.stop()
        }
    }
}
