import Foundation
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Crashes {
        /// 20 rounds: the real daemon process is started and SIGKILLed at a random moment while 300 images
        /// (two prompts each) arrive. A last run then finishes the work: every image has one complete
        /// sidecar, no temporary file is left, and the queue is empty.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func killingTheDaemonAtRandomMomentsLosesNothing() async throws {
            let h = try await Harness(prompts: Harness.twoPrompts, folderPrompts: ["caption", "boxes"], api: "max_concurrency = 4") {
                $0.latencyMilliseconds = 40
            }
            let log = h.root + "/daemon.log"
            var generator = SystemRandomNumberGenerator()
            var images: [String] = []
            for round in 0..<20 {
                let daemon = try await DaemonProcess(h, log: log)
                // Half of each round's images arrive while the daemon starts, half while it works.
                for i in 0..<15 {
                    let name = String(format: "crash-%02d-%02d.jpg", round, i)
                    images.append(try h.dropImage(named: name, width: 48 + round, height: 32 + i))
                    if i == 7 { try await Task.sleep(for: .milliseconds(Int.random(in: 100...800, using: &generator))) }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...1500, using: &generator)))
                daemon.signal(SIGKILL)
                #expect(await daemon.exit(within: 10) != nil)
            }
            #expect(images.count == 300)

            let last = try await DaemonProcess(h, log: log)
            let finished = await eventually(300) { images.allSatisfy { complete(h.sidecar(of: $0)) } }
            last.signal(SIGTERM)
            #expect(await last.exit(within: 30) == 0)
            #expect(finished, "\(images.filter { !complete(h.sidecar(of: $0)) }.count) of 300 images have no complete sidecar")

            for image in images {
                let sidecar = try #require(h.sidecar(of: image), "\(image) has no sidecar")
                #expect(sidecar.image.sha256 == (try FileHash.sha256Hex(path: image)))
                #expect(
                    sidecar.prompts["caption"]?.status == .ok && sidecar.prompts["boxes"]?.status == .ok,
                    "\(image): \(sidecar.prompts.mapValues(\.status))")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: h.inbox)
            #expect(names.filter { $0.hasPrefix(OutputNames.temporaryPrefix) }.isEmpty)
            #expect(names.filter { $0.hasSuffix(OutputNames.sidecarSuffix) }.count == 300)

            let status = try await DaemonProcess.status(h)
            let counts = try #require(status["counts"] as? [String: Int])
            #expect(counts == ["pending": 0, "running": 0, "done": 600, "failed": 0])
            let sent = try await h.generateRequests().count
            print("crash test: 20 SIGKILLs, \(sent) generateContent requests for 600 jobs")
            await h.stop()
        }

        private func complete(_ sidecar: Sidecar?) -> Bool {
            guard let sidecar else { return false }
            return ["caption", "boxes"].allSatisfy { sidecar.prompts[$0] != nil }
        }
    }
}
