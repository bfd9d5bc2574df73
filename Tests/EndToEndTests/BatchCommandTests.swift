import Foundation
import Testing

@testable import Dropsight

extension BatchTests {
    @Suite struct Commands {
        /// `dropsight status` shows the batch in flight; `dropsight batches list` lists it; `dropsight batches cancel`
        /// ends it CANCELLED, and the daemon queues its jobs again for a second batch that answers them all.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func statusListAndCancel() async throws {
            let h = try await Harness.batchHarness(running: 600)
            let keyFile = h.root + "/api-key"
            try h.apiKey.write(toFile: keyFile, atomically: true, encoding: .utf8)
            chmod(keyFile, 0o600)
            try h.writeConfig(
                folders: [.init(path: h.inbox, prompts: ["caption", "boxes"], extra: "batch = \"always\"")],
                prompts: Harness.twoPrompts, api: "batch_poll = \"1s\"\nkey_file = \"\(keyFile)\"")
            let photos = try h.dropPhotos(6)
            let daemon = try await RunningDaemon.start(h)
            #expect(await eventually(60) { try await !h.emulatorBatches().isEmpty })
            let name = try #require(try await h.emulatorBatches().first?["name"] as? String)
            #expect(
                await eventually(30) {
                    let batches = try await DaemonProcess.status(h)["batches"] as? [[String: Any]]
                    return batches?.first?["name"] as? String == name && batches?.first?["requests"] as? Int == 12
                })
            let text = try await DaemonProcess.command(["status"], h).output
            #expect(text.contains("batches in flight:") && text.contains(name) && text.contains("12 request(s)"))
            let list = try await DaemonProcess.command(["batches", "list"], h)
            #expect(list.status == 0 && list.output.contains(name))

            let cancel = try await DaemonProcess.command(["batches", "cancel", name], h)
            #expect(cancel.status == 0, "\(cancel.output)")
            #expect(await eventually(30) { try await h.emulatorBatches().first?["state"] as? String == "BATCH_STATE_CANCELLED" })
            // Only now may batches end quickly: before the cancel, the running one could have ended first.
            try await h.admin("batches", #"{"runningSeconds": 1}"#)
            #expect(await eventually(90) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } })
            await h.waitUntilRecorded()
            await daemon.stop()
            let states = try await h.emulatorBatches().compactMap { $0["state"] as? String }
            #expect(states.sorted() == ["BATCH_STATE_CANCELLED", "BATCH_STATE_SUCCEEDED"])
            #expect(daemon.logs.contains("cancelled"))
            let after = try await DaemonProcess.command(["batches", "list", "--json"], h)
            let listed = try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [[String: Any]]
            #expect(listed?.compactMap { $0["outcome"] as? String }.sorted() == ["cancelled", "succeeded"])
        }
    }
}
