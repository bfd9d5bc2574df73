import Foundation
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Commands {
        /// `status` shows failures with their reasons, `retry --failed` and `reprocess` queue jobs the running
        /// daemon then picks up.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func statusRetryAndReprocessWorkWhileTheDaemonRuns() async throws {
            let h = try await Harness()
            try await h.admin(
                "faults", #"[{"route": "generateContent", "count": 2, "status": 400, "message": "Request contains an invalid argument."}]"#)
            let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
            let images = try ["a.jpg", "b.jpg"].map { try h.dropImage(named: $0) }
            #expect(await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"]?.status == .error } })
            await h.waitUntilRecorded()

            var status = try await DaemonProcess.status(h)
            #expect(status["counts"] as? [String: Int] == ["pending": 0, "running": 0, "done": 0, "failed": 2])
            let failures = try #require(status["recent_failures"] as? [[String: Any]])
            #expect(Set(failures.compactMap { $0["image"] as? String }) == Set(images))
            #expect(
                failures.allSatisfy {
                    $0["message"] as? String == "Request contains an invalid argument." && $0["code"] as? String == "400 INVALID_ARGUMENT"
                })
            #expect(status.keys.contains("paused_until") && status["tokens_total"] as? Int == 0)
            let text = try await DaemonProcess.command(["status"], h)
            #expect(text.output.contains("queue: 0 pending, 0 running, 0 done, 2 failed"))
            #expect(text.output.contains("400 INVALID_ARGUMENT: Request contains an invalid argument."))

            let retried = try await DaemonProcess.command(["retry", "--failed"], h)
            #expect(retried.status == 0 && retried.output.hasPrefix("2 failed job(s) queued again"))
            #expect(await eventually(30) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"]?.status == .ok } })

            let before = try #require(h.sidecar(of: images[0])?.prompts["caption"]?.completedAt)
            let reprocessed = try await DaemonProcess.command(["reprocess", "--prompt", "caption", images[0]], h)
            #expect(reprocessed.status == 0 && reprocessed.output.hasPrefix("1 job(s) queued again"))
            #expect(await eventually(30) { h.sidecar(of: images[0])?.prompts["caption"]?.completedAt != before })
            let unknown = try await DaemonProcess.command(["reprocess", "--prompt", "nope"], h)
            #expect(unknown.status == 2)

            status = try await DaemonProcess.status(h)
            #expect(status["counts"] as? [String: Int] == ["pending": 0, "running": 0, "done": 2, "failed": 0])
            #expect((status["tokens_total"] as? Int ?? 0) > 0)
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)
            #expect(try await h.generateRequests().count == 5)
            await h.stop()
        }
    }
}
