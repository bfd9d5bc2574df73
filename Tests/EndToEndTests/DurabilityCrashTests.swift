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
            let h = try await Harness(
                prompts: Harness.twoPrompts, folderPrompts: ["caption", "boxes"], api: "max_concurrency = 4\nbatch = \"off\""
            ) {
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
            // A SIGKILL is an abnormal end like a crash: a job in flight at two of them in a row is quarantined,
            // its reason in the sidecar, and `dropsight retry` runs it again. Nothing is lost either way.
            let quarantined = images.filter { image in
                h.sidecar(of: image)?.prompts.values.contains { $0.error?.code == "crashed_the_daemon" } == true
            }
            for image in quarantined {
                let sidecar = try #require(h.sidecar(of: image))
                for result in sidecar.prompts.values where result.status != .ok {
                    #expect(result.error?.code == "crashed_the_daemon", "\(image): \(result.error?.message ?? "")")
                }
            }
            if !quarantined.isEmpty {
                #expect(try await DaemonProcess.command(["retry", "--failed"], h).status == 0)
                #expect(
                    await eventually(60) {
                        quarantined.allSatisfy { h.sidecar(of: $0)?.prompts.values.allSatisfy { $0.status == .ok } == true }
                    })
            }
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
            print(
                "crash test: 20 SIGKILLs, \(sent) generateContent requests for 600 jobs, \(quarantined.count) image(s) quarantined and retried"
            )
            await h.stop()
        }

        /// A photo that crashes the daemon (the debug build's test hook aborts the process when the photo's job
        /// starts), restarted as systemd would: after two abnormal ends it is quarantined with its reason in the
        /// sidecar, the photos beside it all complete, the daemon keeps running, and `dropsight retry` runs it again.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func aPhotoThatCrashesTheDaemonIsQuarantinedAndTheOthersComplete() async throws {
            let h = try await Harness(api: "max_concurrency = 4")
            let log = h.root + "/daemon.log"
            let crashing = h.environment.merging(["DROPSIGHT_TEST_CRASH_ON": "poison"]) { $1 }
            let good = try (0..<5).map { try h.dropImage(named: "good-\($0).jpg") }
            let poison = try h.dropImage(named: "poison.jpg")
            let allDone = { ([poison] + good).allSatisfy { h.sidecar(of: $0)?.prompts["caption"] != nil } }

            var daemon = try await DaemonProcess(h, log: log, environment: crashing)
            var abnormalEnds: [Int32] = []
            while abnormalEnds.count < 5 {
                _ = await eventually(30) { !daemon.process.isRunning || allDone() }
                guard !daemon.process.isRunning else { break }
                abnormalEnds.append(daemon.process.terminationStatus)
                daemon = try await DaemonProcess(h, log: log, environment: crashing)
            }
            #expect(allDone(), "every photo has its result")
            #expect(abnormalEnds.count == 2, "abnormal ends: \(abnormalEnds)")
            try await Task.sleep(for: .seconds(1))
            #expect(daemon.process.isRunning, "the daemon keeps running once the photo is quarantined")
            let result = try #require(h.sidecar(of: poison)?.prompts["caption"])
            #expect(result.status == .error && result.error?.code == "crashed_the_daemon", "\(String(describing: result.error))")
            for image in good { #expect(h.sidecar(of: image)?.prompts["caption"]?.status == .ok, "\(image)") }
            let status = try await DaemonProcess.status(h)
            #expect((status["counts"] as? [String: Int])?["failed"] == 1)
            let failure = try #require((status["recent_failures"] as? [[String: Any]])?.first)
            #expect(failure["attempts"] as? Int == 2, "each abnormal end spent an attempt: \(failure)")
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("caption quarantined (crashed_the_daemon): in flight at two abnormal ends in a row"))
            #expect(text.contains("runs alone: it was in flight when the daemon last ended abnormally"))
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)

            // The cause gone (here the hook), `dropsight retry` runs the quarantined photo again.
            let fixed = try await DaemonProcess(h, log: log)
            #expect(try await DaemonProcess.command(["retry", poison], h).status == 0)
            #expect(await eventually(60) { h.sidecar(of: poison)?.prompts["caption"]?.status == .ok })
            fixed.signal(SIGTERM)
            #expect(await fixed.exit(within: 30) == 0)
            await h.stop()
        }

        private func complete(_ sidecar: Sidecar?) -> Bool {
            guard let sidecar else { return false }
            return ["caption", "boxes"].allSatisfy { sidecar.prompts[$0] != nil }
        }
    }
}
