import Foundation
import Testing

@testable import Dropsight

extension BatchTests {
    @Suite struct Crashes {
        /// The real daemon aborts right after a batch step (the debug build's test hook, a SIGKILL's equal):
        /// after the JSONL upload, during the create (the batch made, its answer not yet recorded), after the
        /// create, a poll, the download, the first answer published, the whole publishing. Started again, it finishes:
        /// every photo is answered exactly once by batch, and exactly one batch was created for the requests.
        @Test(
            .enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"),
            arguments: ["uploaded", "sent", "created", "polled", "downloaded", "answered", "published"])
        func killedAfterAStepEndsWithEachPhotoOnce(step: String) async throws {
            let h = try await Harness.batchHarness()
            let photos = try h.dropPhotos(12)
            let log = h.root + "/daemon.log"
            let first = try await DaemonProcess(
                h, log: log, environment: h.environment.merging(["DROPSIGHT_TEST_CRASH_BATCH": step]) { $1 })
            #expect(await first.exit(within: 90) != nil, "the daemon did not stop at \(step)")

            let second = try await DaemonProcess(h, log: log)
            let done = await eventually(120) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } }
            #expect(done, "\(photos.filter { !answeredByBatch(h.sidecar(of: $0)) }.count) photos not answered after \(step)")
            await h.waitUntilRecorded()
            // Both runs say they are ready: the second one then handles SIGTERM.
            #expect(
                await eventually(30) {
                    (try? String(contentsOfFile: log, encoding: .utf8))?.components(separatedBy: "ready: watching").count == 3
                })
            second.signal(SIGTERM)
            #expect(await second.exit(within: 30) == 0)

            #expect(try await h.batchCreates() == 1, "one create for the same requests")
            #expect(try await h.emulatorBatches().count == 1)
            #expect(try await h.generateRequests().isEmpty)
            let status = try await DaemonProcess.status(h)
            #expect(status["counts"] as? [String: Int] == ["pending": 0, "running": 0, "done": 24, "failed": 0])
            let names = try FileManager.default.contentsOfDirectory(atPath: h.inbox)
            #expect(names.filter { $0.hasSuffix(OutputNames.sidecarSuffix) }.count == photos.count)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: h.stateDir + "/batches")) ?? []
            #expect(leftovers.isEmpty, "the batch's local files are removed at its end: \(leftovers)")
        }

        /// SIGKILLed in the middle of downloading the results (the emulator sends them slowly): the half-written
        /// `.part` file is never read; started again, the daemon downloads them whole and every photo is answered once.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func killedWhileDownloadingEndsWithEachPhotoOnce() async throws {
            let h = try await Harness.batchHarness(downloadBytesPerSecond: 4_000)
            let photos = try h.dropPhotos(12)
            let log = h.root + "/daemon.log"
            let first = try await DaemonProcess(h, log: log)
            let folder = h.stateDir + "/batches"
            func partial() -> Int {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                return names.filter { $0.hasSuffix(".part") }.compactMap {
                    (try? FileManager.default.attributesOfItem(atPath: folder + "/" + $0))?[.size] as? Int
                }.max() ?? 0
            }
            #expect(await eventually(120) { partial() > 0 }, "the download never started")
            first.signal(SIGKILL)
            #expect(await first.exit(within: 10) != nil)
            #expect(photos.allSatisfy { h.sidecar(of: $0) == nil }, "answers were published from a partial download")

            let second = try await DaemonProcess(h, log: log)
            let done = await eventually(120) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } }
            #expect(done, "\(photos.filter { !answeredByBatch(h.sidecar(of: $0)) }.count) photos not answered after the kill")
            await h.waitUntilRecorded()
            second.signal(SIGTERM)
            #expect(await second.exit(within: 30) == 0)
            #expect(try await h.batchCreates() == 1, "one create for the same requests")
            #expect(try await h.generateRequests().isEmpty)
            let status = try await DaemonProcess.status(h)
            #expect(status["counts"] as? [String: Int] == ["pending": 0, "running": 0, "done": 24, "failed": 0])
        }
    }
}

extension BatchTests.Crashes {
    /// A photo that crashes the daemon each time its batch is prepared (the debug build's test hook) is
    /// quarantined, each of its prompts at its second crash, instead of crashing every start; the other photos
    /// are answered by batch.
    @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
    func aPhotoThatCrashesTheDaemonWhileItsBatchIsPreparedIsQuarantined() async throws {
        let h = try await Harness.batchHarness()
        let poison = try h.dropImage(named: "poison.jpg")
        let photos = try h.dropPhotos(5)
        let log = h.root + "/daemon.log"
        let environment = h.environment.merging(["DROPSIGHT_TEST_CRASH_ON": "poison"]) { $1 }
        var crashes = 0
        var daemon = try await DaemonProcess(h, log: log, environment: environment)
        while crashes < 8, await daemon.exit(within: 30) != nil {
            crashes += 1
            daemon = try await DaemonProcess(h, log: log, environment: environment)
        }
        #expect(crashes == 4, "each of the poison photo's two prompts crashes the daemon twice, then is quarantined")
        #expect(await eventually(60) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } })
        let sidecar = try #require(await eventually(30) { h.sidecar(of: poison)?.prompts.count == 2 } ? h.sidecar(of: poison) : nil)
        for (name, result) in sidecar.prompts {
            #expect(result.error?.code == "crashed_the_daemon", "\(name): \(result.status) \(result.error?.message ?? "")")
        }
        await h.waitUntilRecorded()
        daemon.signal(SIGTERM)
        #expect(await daemon.exit(within: 30) == 0)
        #expect(try await h.generateRequests().isEmpty)
    }
}
