import Foundation
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Reload {
        /// Changing one prompt's text and sending SIGHUP re-runs that prompt on every image, and only it.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func aPromptTextChangeRerunsThatPromptOnly() async throws {
            let h = try await Harness(prompts: Harness.twoPrompts, folderPrompts: ["caption", "boxes"])
            let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
            let images = try (0..<3).map { try h.dropImage(named: "photo-\($0).jpg") }
            #expect(await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts.count == 2 } })
            let before = images.map { h.sidecar(of: $0) }
            #expect(try await h.generateRequests().count == 6)

            let newText = "Describe this photo in five words."
            try h.writeConfig(
                folders: [.init(path: h.inbox, prompts: ["caption", "boxes"])],
                prompts: Harness.twoPrompts.replacingOccurrences(of: "Write a one-sentence caption for this photo.", with: newText))
            daemon.signal(SIGHUP)
            let newHash = try #require(h.configuration().prompts["caption"]).definitionHash(defaultModel: "gemini-2.5-flash")
            let rerun = await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"]?.promptHash == newHash } }
            try await Task.sleep(for: .seconds(1))
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)
            #expect(rerun)

            let requests = try await h.generateRequests()
            #expect(requests.count == 9)
            #expect(requests.suffix(3).allSatisfy { ($0["promptText"] as? String)?.contains(newText) == true })
            for (image, old) in zip(images, before) {
                let now = try #require(h.sidecar(of: image))
                // The detection result is the very same one (same run, same answer).
                #expect(now.prompts["boxes"]?.completedAt == old?.prompts["boxes"]?.completedAt)
                #expect(now.prompts["boxes"]?.text == old?.prompts["boxes"]?.text)
                #expect(now.prompts["caption"]?.completedAt != old?.prompts["caption"]?.completedAt)
            }
            await h.stop()
        }

        /// A prompt taken off the folder's list on SIGHUP leaves the queue: its queued jobs are never sent.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func aPromptRemovedOnReloadLeavesTheQueue() async throws {
            let h = try await Harness(prompts: Harness.twoPrompts, folderPrompts: ["caption", "boxes"], api: "max_concurrency = 1") {
                $0.latencyMilliseconds = 400
            }
            let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
            let images = try (0..<6).map { try h.dropImage(named: "queued-\($0).jpg") }
            #expect(await eventually(30) { try await h.answeredRequests().count >= 1 })
            try h.writeConfig(folders: [.init(path: h.inbox, prompts: ["caption"])], prompts: Harness.twoPrompts)
            daemon.signal(SIGHUP)
            let captioned = await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"] != nil } }
            try await Task.sleep(for: .seconds(1))
            let status = try await DaemonProcess.status(h)
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)
            #expect(captioned)

            let boxes = try await h.generateRequests().filter { ($0["promptText"] as? String)?.contains("box_2d") == true }
            #expect(boxes.count <= 2, "\(boxes.count) detection requests were sent after the prompt was removed")
            #expect((status["counts"] as? [String: Int])?["pending"] == 0)
            #expect((status["counts"] as? [String: Int])?["running"] == 0)
            let log = try String(contentsOfFile: h.root + "/daemon.log", encoding: .utf8)
            #expect(log.contains("queued job(s) of removed folders or prompts dropped"))
            await h.stop()
        }
    }
}
