import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// `dropsight process` and `dropsight config check` as a user runs them: real binary, real emulator.
@Suite(.serialized, .cleansUp) struct ProcessCommandTests {
    @Test func processPrintsTheSidecarAndExitsZero() async throws {
        let h = try await Harness()
        let image = try h.dropImage(named: "one.jpg", in: h.root)
        let r = try await DropsightBinary().run(["process", image], harness: h)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == image + OutputNames.sidecarSuffix + "\n")
        let sidecar = try JSONDecoder().decode(
            Sidecar.self, from: Data(contentsOf: URL(fileURLWithPath: image + OutputNames.sidecarSuffix)))
        #expect(sidecar.prompts["caption"]?.status == .ok)
        #expect(!r.stderr.contains(h.apiKey))
        await h.stop()
    }

    @Test func aFailedImageExitsOneAndTheOthersStillGetTheirSidecars() async throws {
        let h = try await Harness()
        let good = try h.dropImage(named: "good.jpg", in: h.root)
        let bad = h.root + "/bad.jpg"
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: bad))
        let r = try await DropsightBinary().run(["process", bad, good], harness: h)
        #expect(r.status == 1)
        let badSidecar = try JSONDecoder().decode(
            Sidecar.self, from: Data(contentsOf: URL(fileURLWithPath: bad + OutputNames.sidecarSuffix)))
        #expect(badSidecar.prompts["caption"]?.error?.code == "not_an_image")
        #expect(FileManager.default.fileExists(atPath: good + OutputNames.sidecarSuffix))
        await h.stop()
    }

    /// A refused key is not the image's fault: exit 2 with the reason, no sidecar, no retries.
    @Test func aRefusedKeyExitsTwoWithTheReasonAndWritesNoSidecar() async throws {
        let h = try await Harness()
        let image = try h.dropImage(named: "one.jpg", in: h.root)
        let wrongKey = "wrong-key-\(UUID().uuidString.prefix(8))"
        let r = try await DropsightBinary().run(["process", image], harness: h, environment: ["GEMINI_API_KEY": wrongKey])
        #expect(r.status == 2)
        #expect(
            r.stderr.contains("dropsight: the API key was refused (400 API_KEY_INVALID); fix key_file or the credential\n"), "\(r.stderr)")
        #expect(!r.stderr.contains(wrongKey))
        #expect(!FileManager.default.fileExists(atPath: image + OutputNames.sidecarSuffix))
        #expect(try await h.generateRequests().count == 1, "asked once, not retried")
        await h.stop()
    }

    @Test func usageAndConfigurationErrorsExitTwo() async throws {
        let h = try await Harness()
        let image = try h.dropImage(named: "x.jpg", in: h.root)
        let unknown = try await DropsightBinary().run(["process", "--prompt", "nope", image], harness: h)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown prompt \"nope\""))
        let noImages = try await DropsightBinary().run(["process"], harness: h)
        #expect(noImages.status == 2)

        var text = try String(contentsOfFile: h.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "settle_ms = 200", with: "settle_ms = 200\ncolour = \"red\"")
        try text.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let check = try await DropsightBinary().run(["config", "check"], harness: h)
        #expect(check.status == 2)
        #expect(check.stderr.contains("dropsight.toml:"))
        #expect(check.stderr.contains("unknown key \"colour\" in [folder]"))
        #expect(!FileManager.default.fileExists(atPath: image + OutputNames.sidecarSuffix))
        await h.stop()
    }

    @Test func configCheckPrintsTheEffectiveConfigurationWithoutTheKey() async throws {
        let h = try await Harness()
        let r = try await DropsightBinary().run(["config", "check"], harness: h)
        #expect(r.status == 0)
        #expect(r.stdout.contains("[prompt.caption]"))
        #expect(r.stdout.contains("max_attempts = 8"))
        #expect(!r.stdout.contains(h.apiKey))
        #expect(r.stderr.contains("warning: model gemini-2.5-flash is closed to new users"), "\(r.stderr)")
        await h.stop()
    }

    /// `dropsight models` lists what the key sees with each profile; `config check --online` asks the API
    /// about the key and every configured model.
    @Test func modelsListsProfilesAndConfigCheckOnlineChecksKeyAndModels() async throws {
        let prompts = Harness.captionPrompt + "\n\n[prompt.gone]\ntext = \"x\"\nmodel = \"gemini-2.0-flash\"\n"
        let h = try await Harness(prompts: prompts, folderPrompts: ["caption"], model: nil) { $0.catalog = .y2026 }
        let models = try await DropsightBinary().run(["models"], harness: h)
        #expect(models.status == 0, "\(models.stderr)")
        let lines = models.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("MODEL") == true)
        #expect(lines.contains { $0.hasPrefix("gemini-3.8-flash ") && $0.contains("GA") && $0.contains("levels low,medium,high") })
        #expect(lines.contains { $0.hasPrefix("gemini-3.7-flash ") && $0.contains("routed to gemini-3.8-flash") })
        #expect(lines.contains { $0.hasPrefix("gemini-2.5-flash ") && $0.contains("closed to new users") && $0.contains("PNG masks") })

        let online = try await DropsightBinary().run(["config", "check", "--online"], harness: h)
        #expect(online.status == 1, "a shut-down model is refused: \(online.stderr)")
        #expect(online.stderr.contains("refused: gemini-2.0-flash: listed but shut down"))
        #expect(online.stderr.contains("ok: gemini-3.5-flash-lite is available to this key"))

        let badKey = try await DropsightBinary().run(["models"], harness: h, environment: ["GEMINI_API_KEY": "not-the-key"])
        #expect(badKey.status == 1 && badKey.stderr.contains("API key not valid"), "\(badKey.stderr)")
        await h.stop()
    }
}
