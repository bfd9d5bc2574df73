import DropsightTestSupport
import Foundation
import GeminiEmulator
import Imaging
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
    func process(_ h: Harness, model: String?) async throws -> Sidecar {
        var configuration = try h.configuration()
        if let model { configuration.api.model = model }
        let runtime = try Runtime(configuration: configuration, environment: h.environment, logger: .init(label: "test"))
        let image = try h.dropImage(named: "IMG-\(model ?? "default").jpg", width: 640, height: 480)
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
}
