import Foundation
import Testing

@testable import Dropsight

extension BatchTests {
    @Suite struct Holds {
        /// The service refuses the batch for the account (403 permission denied): the key is held, the batch's
        /// jobs wait in the queue (none failed), no batch is sent meanwhile, and after a reload every photo ends ok
        /// by one batch.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func anAccountRefusalHoldsTheBatchedJobs() async throws {
            let h = try await Harness.batchHarness()
            try await h.admin(
                "faults", #"[{"route": "batchGenerateContent", "count": 1, "status": 403, "message": "Permission denied on the project."}]"#
            )
            let photos = try h.dropPhotos(6)
            let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
            #expect(
                await eventually(60) {
                    let status = try await DaemonProcess.status(h)
                    return (status["holds"] as? [Any])?.isEmpty == false
                        && status["counts"] as? [String: Int] == ["pending": 12, "running": 0, "done": 0, "failed": 0]
                })
            #expect(try await h.batchCreates() == 1)
            #expect(try await h.emulatorBatches().isEmpty)

            daemon.signal(SIGHUP)
            #expect(await eventually(90) { photos.allSatisfy { answeredByBatch(h.sidecar(of: $0)) } })
            await h.waitUntilRecorded()
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)
            #expect(try await h.batchCreates() == 2, "the refused create and the one after the reload")
            #expect(try await h.emulatorBatches().count == 1)
        }
    }
}
