import DropsightTestSupport
import Foundation
import GeminiEmulator
import Imaging
import InMemoryLogging
import Store
import Testing

@testable import Dropsight

/// Today's Gemini (the emulator's December 2026 catalogue): the default model, every GA 3.x model's
/// thinking rules, fixed image tokens and polygon segmentation, as a new user meets them.
@Suite(.cleansUp) struct TodaysModelsTests {
    static let spatialPrompts = """
        [prompt.caption]
        text = "Write a one-sentence caption for this photo."

        [prompt.objects]
        kind = "detect"

        [prompt.shapes]
        kind = "segment"
        """

    /// Runs caption, detect and segment on one photo with `dropsight process`'s path and returns the sidecar.
    func process(
        _ h: Harness, model: String?, name: String? = nil, logs: InMemoryLogHandler = InMemoryLogHandler(level: .info)
    ) async throws -> Sidecar {
        var configuration = try h.configuration()
        if let model { configuration.api.model = model }
        let runtime = try Runtime(configuration: configuration, environment: h.environment, logger: logs.logger())
        let image = try h.dropImage(named: name ?? "IMG-\(model ?? "default").jpg", width: 640, height: 480)
        let outcome = try await ImageProcessor(runtime: runtime).process(
            path: image, folder: configuration.folder(owning: image), promptNames: configuration.prompts.keys.sorted())
        let data = try #require(FileManager.default.contents(atPath: outcome.sidecarPath))
        return try JSONDecoder().decode(Sidecar.self, from: data)
    }

    @Test func withNoModelConfiguredTextDetectAndSegmentSucceed() async throws {
        let h = try await Harness(prompts: Self.spatialPrompts, folderPrompts: ["caption", "objects", "shapes"], model: nil) {
            $0.catalog = .y2026
        }
        let sidecar = try await process(h, model: nil)
        for (name, result) in sidecar.prompts {
            #expect(result.status == .ok, "\(name): \(result.error?.message ?? "")")
            #expect(result.model == "gemini-3.5-flash-lite")
        }
        #expect(sidecar.prompts["objects"]?.thinking == .level(.minimal))
        #expect(sidecar.prompts["caption"]?.thinking == nil, "a caption keeps the model's default")
        let shapes = try #require(sidecar.prompts["shapes"])
        let segments = try #require(shapes.segments)
        #expect(!segments.isEmpty && segments.allSatisfy { $0.maskForm == .polygon && ($0.area ?? 0) > 0 })
        let overlay = try #require(shapes.overlay)
        #expect(FileManager.default.fileExists(atPath: h.inbox + "/" + overlay))
        #expect(try #require(sidecar.prompts["objects"]?.detections).count > 0)
        let requests = try await h.generateRequests()
        #expect(requests.count == 3)
    }

    @Test func everyGA3xModelTakesDetectAndSegmentWithoutARefusal() async throws {
        let h = try await Harness(prompts: Self.spatialPrompts, folderPrompts: ["caption", "objects", "shapes"]) { $0.catalog = .y2026 }
        let models = ModelCatalog.known.filter {
            if case .ga = $0.status, case .levels = $0.thinking { return true }
            return false
        }.map(\.id)
        #expect(models.count >= 4)
        for model in models {
            let sidecar = try await process(h, model: model)
            for name in ["objects", "shapes"] {
                let result = try #require(sidecar.prompts[name])
                #expect(result.status == .ok, "\(model) \(name): \(result.error?.message ?? "")")
                guard case .level(let level)? = result.thinking, case .levels(let accepted, _) = ModelCatalog.profile(for: model).thinking
                else {
                    Issue.record("\(model) \(name): no thinking level sent")
                    continue
                }
                #expect(level == accepted.min(), "\(model) \(name): the lowest level it accepts")
            }
        }
    }

    @Test func theTokenEstimateIsWithinTenPercentOfWhatTheAPICounts() async throws {
        for (catalog, model) in [
            (EmulatorConfiguration.Catalog.y2026, "gemini-3.6-flash"), (.y2026, "gemini-3.8-flash"), (.y2025, "gemini-2.0-flash"),
        ] {
            let h = try await Harness(prompts: Harness.captionPrompt, folderPrompts: ["caption"]) { $0.catalog = catalog }
            let sidecar = try await process(h, model: model)
            let caption = try #require(sidecar.prompts["caption"])
            let estimated = try #require(caption.sent?.estimatedTokens)
            let counted = try #require(caption.usage?.imageTokens, "\(model): the API itemised no IMAGE tokens")
            #expect(abs(Double(estimated - counted)) <= 0.1 * Double(counted), "\(model): estimated \(estimated), counted \(counted)")
            await h.stop()
        }
    }

    /// A count the rule gets wrong (the seed page's tiles answering for a 2.5 profile's flat 258): one warning,
    /// the count kept in the database, and the next run (a new process) estimates with it.
    @Test func theAPIsImageCountIsKeptAndUsedByLaterEstimates() async throws {
        let h = try await Harness(prompts: Harness.captionPrompt, folderPrompts: ["caption"]) { $0.catalog = .y2025 }
        let firstLogs = InMemoryLogHandler(level: .info)
        let first = try #require(try await process(h, model: "gemini-2.5-flash", name: "first.jpg", logs: firstLogs).prompts["caption"])
        let counted = try #require(first.usage?.imageTokens)
        #expect(first.sent?.estimatedTokens == 258, "the first estimate follows the profile's rule")
        #expect(counted > 300, "the 2025 catalogue counts 640x480 by tiles: \(counted)")
        let warning =
            "model gemini-2.5-flash at media resolution default: the API counts \(counted) tokens per image where dropsight's rule says 258"
        #expect(firstLogs.lines.filter { $0.contains(warning) }.count == 1, "\(firstLogs.lines)")

        let secondLogs = InMemoryLogHandler(level: .info)
        let second = try #require(
            try await process(h, model: "gemini-2.5-flash", name: "second.jpg", logs: secondLogs).prompts["caption"])
        #expect(second.sent?.estimatedTokens == counted, "the next process estimates with the kept count")
        #expect(!secondLogs.contains("dropsight's rule says"), "an unchanged count is not warned about again")
        let store = try await Store.open(path: try h.configuration().state.databasePath, maxAttempts: 8)
        let records = try await store.imageTokenRecords()
        #expect(records.map { "\($0.model) \($0.mediaResolution) \($0.tokens)" } == ["gemini-2.5-flash default \(counted)"])

        let estimate = try await DropsightBinary().run(
            ["estimate", "--json", h.dropImage(named: "third.jpg", width: 640, height: 480)], harness: h)
        #expect(estimate.status == 0, "\(estimate.stderr)")
        #expect(estimate.stdout.contains("\"tokens\":\(counted)"), "dropsight estimate uses the kept count: \(estimate.stdout)")
        await h.stop()
    }

    /// An id the profiles do not know is guessed from its name (a 3.x-style model that thinks by level) and refined
    /// by models.get: a model that reports no `thinking` is sent no thinking control, by every prompt.
    @Test func anUnknownModelIsRefinedByWhatModelsGetReports() async throws {
        let unknown = "gemma-4-vision"
        let h = try await Harness(prompts: Self.spatialPrompts, folderPrompts: ["caption", "objects", "shapes"]) {
            $0.catalog = .y2026
            $0.extraModels = [unknown]
        }
        let logs = InMemoryLogHandler(level: .info)
        let sidecar = try await process(h, model: unknown, logs: logs)
        #expect(sidecar.prompts.count == 3)
        for (name, result) in sidecar.prompts {
            #expect(result.status == .ok, "\(name): \(result.error?.message ?? "")")
            #expect(result.thinking == nil, "\(name): \(String(describing: result.thinking)) sent to a model that does not think")
        }
        #expect(logs.contains("model \(unknown): models.get reports no thinking; requests follow thinking none"), "\(logs.lines)")
        let gets = try await h.requests().filter { ($0["path"] as? String)?.hasSuffix("/models/\(unknown)") == true }
        #expect(gets.count == 1, "models.get asked once for the three prompts: \(gets.count)")
        await h.stop()
    }
}
