import Foundation
import Store
import Testing

@testable import Dropsight

extension BatchTests {
    @Suite struct Flow {
        /// A folder with `batch = "always"` and two prompts: every photo ends with an ok sidecar answered by a
        /// batch, no generateContent is sent, and every batch created is one the Store knows (none twice).
        @Test func alwaysFolderIsAnsweredByBatchOnly() async throws {
            let h = try await Harness.batchHarness()
            let photos = try h.dropPhotos(500)
            let daemon = try await RunningDaemon.start(h)
            let done = await eventually(240) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } }
            #expect(done, "\(photos.filter { !answeredByBatch(h.sidecar(of: $0)) }.count) of \(photos.count) photos not answered by batch")
            await h.waitUntilRecorded()
            await daemon.stop()

            #expect(try await h.generateRequests().isEmpty, "no interactive generateContent")
            let creates = try await h.batchCreates()
            let batches = try await h.emulatorBatches()
            #expect(creates == batches.count)
            let requested = batches.reduce(0) { $0 + (($1["requestCount"] as? Int) ?? 0) }
            #expect(requested == photos.count * 2, "each request sent in exactly one batch")
            let sidecar = try #require(h.sidecar(of: photos[0]))
            #expect(sidecar.prompts["caption"]?.usage?.totalTokens ?? 0 > 0, "usage comes from the result line")
            #expect(sidecar.prompts["boxes"]?.sent?.transport == "file")
            #expect(try SidecarSchema.violations(in: photos.prefix(20).map { $0 + OutputNames.sidecarSuffix }) == [])
        }

        /// The create answer is cut off (the batch exists, its answer is lost): the batch is found again by its
        /// display name and adopted, never created twice, and every photo ends ok.
        @Test func lostCreateAnswerIsAdoptedNotResent() async throws {
            let h = try await Harness.batchHarness()
            try await h.admin("faults", #"[{"route": "batchGenerateContent", "count": 1, "action": "cutOff"}]"#)
            let photos = try h.dropPhotos(12)
            let daemon = try await RunningDaemon.start(h)
            #expect(await eventually(90) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } })
            await daemon.stop()
            #expect(try await h.batchCreates() == 1)
            #expect(try await h.emulatorBatches().count == 1)
            #expect(daemon.logs.contains("adopted as batches/"))
        }

        /// A batch that ends EXPIRED puts its jobs back (an attempt counted); a second batch answers them all.
        @Test func expiredBatchIsResubmitted() async throws {
            let h = try await Harness.batchHarness(running: 600)
            let photos = try h.dropPhotos(10)
            let daemon = try await RunningDaemon.start(h)
            #expect(await eventually(60) { try await !h.emulatorBatches().isEmpty })
            let first = try #require(try await h.emulatorBatches().first?["name"] as? String)
            try await h.admin("batches", #"{"runningSeconds": 1}"#)
            try await h.admin("batches/end", #"{"name": "\#(first)", "state": "EXPIRED"}"#)
            #expect(await eventually(90) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } })
            await h.waitUntilRecorded()
            await daemon.stop()
            let batches = try await h.emulatorBatches()
            #expect(batches.count == 2)
            #expect(batches.map { $0["state"] as? String }.contains("BATCH_STATE_EXPIRED"))
            for photo in photos {
                #expect(h.sidecar(of: photo)?.prompts.values.allSatisfy { $0.batch != first } == true)
            }
            #expect(daemon.logs.contains("expired"))
            #expect(try await h.generateRequests().isEmpty)
        }

        /// `auto` (the default, `batch_min_jobs` 200): a backlog of 1,000 photos goes by batch, while a photo dropped
        /// meanwhile is answered interactively.
        @Test func autoSendsTheBacklogByBatchAndNewDropsInteractively() async throws {
            let h = try await Harness.batchHarness(api: "max_concurrency = 2", folderBatch: nil, running: 4)
            let backlog = try h.dropPhotos(1000, prefix: "backlog")
            let daemon = try await RunningDaemon.start(h)
            #expect(await eventually(60) { try await !h.emulatorBatches().isEmpty })
            let late = try h.dropImage(named: "late.jpg")
            let sidecar = await h.waitForSidecar(late, prompts: 2)
            #expect(sidecar?.prompts.values.allSatisfy { $0.status == .ok && $0.transport == nil } == true)
            #expect(
                await eventually(240) { backlog.allSatisfy { h.sidecar(of: $0)?.prompts.values.allSatisfy { $0.status == .ok } == true } })
            await daemon.stop()
            let byBatch = backlog.filter { answeredByBatch(h.sidecar(of: $0)) }.count
            print("auto: \(byBatch) of \(backlog.count) backlog photos by batch, \(try await h.generateRequests().count) generateContent")
            #expect(byBatch >= 500, "most of the backlog went by batch (\(byBatch) of \(backlog.count))")
            #expect(try await h.generateRequests().count >= 2, "the late photo went interactively")
        }
    }
}
