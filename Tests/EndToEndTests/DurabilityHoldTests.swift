import Foundation
import GeminiEmulator
import Testing

@testable import Dropsight

extension DurabilityTests {
    /// Account-level answers hold the queue instead of failing photos: the daemon says what is wrong, keeps
    /// the watchdog fed, sends almost nothing, and finishes every photo once the cause is fixed and reloaded.
    @Suite struct Holds {
        /// A wrong key in `key_file`: no error sidecars, a few refused requests, STATUS= names the problem; the key
        /// fixed in the file and SIGHUP sent, every photo completes without `dropsight retry`.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func aWrongKeyHoldsThePhotosUntilTheFixedKeyIsReloaded() async throws {
            let h = try await Harness()
            let keyFile = h.root + "/api-key"
            let wrongKey = "wrong-key-\(UUID().uuidString.prefix(8))"
            try (wrongKey + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            try h.writeConfig(
                folders: [.init(path: h.inbox, prompts: ["caption"])], prompts: Harness.captionPrompt,
                api: "key_file = \"\(keyFile)\"")
            let notify = try NotifySocket(in: h.root)
            let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log", environment: notify.environment)
            #expect(await eventually(60) { notify.messages.contains("READY=1") })
            let images = try (0..<6).map { try h.dropImage(named: "photo-\($0).jpg") }

            let statusLine =
                "STATUS=held: the API key was refused (400 API_KEY_INVALID); fix key_file or the credential, then `systemctl reload dropsight`"
            let held = await eventually(60) { notify.messages.contains { $0.hasPrefix(statusLine) } }
            let queued = await eventually(30) { try await Self.counts(h)["pending"] == images.count }
            // A few more looks of the scheduler and ticks of the watchdog while held.
            let pings = notify.watchdogPings
            try await Task.sleep(for: .seconds(4))
            let pinged = notify.watchdogPings - pings
            let status = try await DaemonProcess.status(h)
            let refused = try await h.generateRequests().filter { ($0["status"] as? Int) == 400 }.count
            let sidecarsWhileHeld = images.filter { h.sidecar(of: $0) != nil }.count

            try (h.apiKey + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            let done = await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"]?.status == .ok } }
            let after = try await DaemonProcess.status(h)
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)

            #expect(held, "STATUS= lines: \(notify.messages.filter { $0.hasPrefix("STATUS=") })")
            #expect(queued, "every photo waits in the queue")
            #expect(sidecarsWhileHeld == 0, "no error sidecar while the key is wrong")
            #expect((1...4).contains(refused), "\(refused) refused requests (max_concurrency is 4)")
            #expect(pinged >= 2, "the watchdog was pinged \(pinged) time(s) in 4 s while held")
            let holds = try #require(status["holds"] as? [[String: Any]])
            #expect(holds.count == 1 && holds.first?["model"] is NSNull)
            #expect((holds.first?["reason"] as? String)?.hasPrefix("held: the API key was refused (400 API_KEY_INVALID)") == true)
            #expect((status["counts"] as? [String: Int])?["failed"] == 0)
            #expect(done, "every photo completes after the reload")
            #expect((after["holds"] as? [Any])?.isEmpty == true)
            #expect((after["counts"] as? [String: Int])?["failed"] == 0)

            let log = try String(contentsOfFile: h.root + "/daemon.log", encoding: .utf8)
            #expect(log.components(separatedBy: "held: the API key was refused").count - 1 == 1, "one journal line per hold:\n\(log)")
            #expect(log.contains("a new API key from key_file"))
            #expect(log.contains("hold lifted"))
            let database = try h.configuration().state.databasePath
            for text in [log]
                + [database, database + "-wal"].compactMap({
                    try? String(decoding: Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self)
                })
            {
                #expect(!text.contains(wrongKey) && !text.contains(h.apiKey), "a key leaked")
            }
            await h.stop()
        }

        /// A prompt on a model the service does not know (the seed page's catalogue), or on one closed to new users
        /// (today's): its jobs wait (the folder's other prompt goes on), and once the configuration names a model
        /// the key may use and SIGHUP is sent, every photo completes.
        @Test(
            .enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"),
            arguments: [
                (EmulatorConfiguration.Catalog.y2025, "gemini-0-unknown", "not found", "gemini-2.5-flash"),
                (.y2026, "gemini-2.5-flash", "closed to new users", ModelCatalog.defaultModel),
            ])
        func aGoneModelHoldsItsPromptUntilTheConfigurationIsFixed(
            catalog: EmulatorConfiguration.Catalog, gone: String, what: String, fixed: String
        ) async throws {
            let prompts = Harness.twoPrompts.replacingOccurrences(
                of: "[prompt.boxes]", with: "model = \"\(gone)\"\n\n[prompt.boxes]")
            let h = try await Harness(prompts: prompts, folderPrompts: ["caption", "boxes"], model: fixed) { $0.catalog = catalog }
            let notify = try NotifySocket(in: h.root)
            let daemon = try await DaemonProcess(
                h, log: h.root + "/daemon.log", environment: h.environment.merging(notify.environment) { $1 })
            #expect(await eventually(60) { notify.messages.contains("READY=1") })
            let images = try (0..<4).map { try h.dropImage(named: "photo-\($0).jpg") }

            let statusLine = "STATUS=held: model \(gone) is \(what) (404 NOT_FOUND); choose another model in the configuration"
            let held = await eventually(60) { notify.messages.contains { $0.hasPrefix(statusLine) } }
            let boxesDone = await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["boxes"]?.status == .ok } }
            let captionsWhileHeld = images.compactMap { h.sidecar(of: $0)?.prompts["caption"] }.count
            let status = try await DaemonProcess.status(h)
            let refused = try await h.generateRequests().filter { ($0["status"] as? Int) == 404 }.count

            try h.writeConfig(folders: [.init(path: h.inbox, prompts: ["caption", "boxes"])], prompts: Harness.twoPrompts, model: fixed)
            daemon.signal(SIGHUP)
            let done = await eventually(60) { images.allSatisfy { h.sidecar(of: $0)?.prompts["caption"]?.status == .ok } }
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)

            #expect(held, "STATUS= lines: \(notify.messages.filter { $0.hasPrefix("STATUS=") })")
            #expect(boxesDone, "the prompt on a usable model is not held")
            #expect(captionsWhileHeld == 0, "no error result while the model is held")
            #expect((1...4).contains(refused), "\(refused) refused requests")
            let holds = try #require(status["holds"] as? [[String: Any]])
            #expect(holds.count == 1 && holds.first?["model"] as? String == gone)
            #expect((status["counts"] as? [String: Int])?["failed"] == 0)
            #expect(done, "every caption completes after the reload")
            let log = try String(contentsOfFile: h.root + "/daemon.log", encoding: .utf8)
            #expect(log.components(separatedBy: "held: model \(gone)").count - 1 == 1, "one journal line per hold:\n\(log)")
            await h.stop()
        }

        static func counts(_ h: Harness) async throws -> [String: Int] {
            try await DaemonProcess.status(h)["counts"] as? [String: Int] ?? [:]
        }
    }
}
