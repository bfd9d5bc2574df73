import Foundation
import Store
import Testing

@testable import Dropsight

/// The model profiles: what each model is sent, and what its images cost.
@Suite struct ModelProfileTests {
    func send(_ model: String, _ setting: ThinkingSetting?, spatial: Bool = false) -> SentThinking? {
        ModelCatalog.profile(for: model).thinkingToSend(setting, spatial: spatial)
    }

    @Test func spatialPromptsGetTheLowestSettingEachModelAccepts() {
        #expect(send("gemini-3.5-flash-lite", nil, spatial: true) == .level(.minimal))
        #expect(send("gemini-3.6-flash", nil, spatial: true) == .level(.minimal))
        #expect(send("gemini-3.8-flash", nil, spatial: true) == .level(.low), "3.8 Flash refuses MINIMAL")
        #expect(send("gemini-3.1-pro-preview", nil, spatial: true) == .level(.low))
        #expect(send("gemini-2.5-flash", nil, spatial: true) == .budget(0))
        #expect(send("gemini-2.5-pro", nil, spatial: true) == .level(.low), "2.5 Pro is routed to 3.8 Flash and takes its rules")
        #expect(send("gemini-2.0-flash", nil, spatial: true) == nil, "2.0 does not think")
        #expect(send("gemini-3.8-flash", nil) == nil, "other prompts keep the model's default")
    }

    @Test func neverALevelTo2xNorABudgetOrARefusedLevelTo3x() {
        for known in ModelCatalog.known {
            let profile = ModelCatalog.profile(for: known.id)
            for setting in [ThinkingSetting.off, .level(.minimal), .level(.high), .budget(0), .budget(2048), .budget(-1)] {
                let sent = profile.thinkingToSend(setting, spatial: false)
                let rules = profile.thinking
                switch (rules, sent) {
                case (.levels(let accepted, _), .level(let level)?): #expect(accepted.contains(level), "\(profile.id) \(setting)")
                case (.levels, .budget?): Issue.record("\(profile.id) was sent a budget for \(setting)")
                case (.budget, .level?): Issue.record("\(profile.id) was sent a level for \(setting)")
                case (.budget(let range, let canStop), .budget(let n)?):
                    #expect(n == -1 || range.contains(n) || (n == 0 && canStop), "\(profile.id) budget \(n)")
                default: break
                }
            }
        }
    }

    @Test func aRefusedLevelBecomesTheNearestAcceptedOneAndBudgetsMapToLevels() {
        #expect(send("gemini-3.8-flash", .level(.minimal)) == .level(.low))
        #expect(send("gemini-3.8-flash", .off) == .level(.low))
        #expect(send("gemini-3.6-flash", .budget(0)) == .level(.minimal))
        #expect(send("gemini-3.6-flash", .budget(4096)) == .level(.medium))
        #expect(send("gemini-3.6-flash", .budget(-1)) == nil, "automatic: the model's default")
        #expect(send("gemini-2.5-pro-preview-x", .budget(0)) == .budget(128), "an unknown 2.5 Pro cannot stop thinking")
        #expect(send("gemini-2.5-flash", .level(.high)) == .budget(24576))
    }

    @Test func imageTokensFollowTheFamily() {
        let g3 = ModelCatalog.profile(for: "gemini-3.6-flash")
        #expect(g3.imageTokens(width: 6000, height: 4000, resolution: nil) == 1120)
        #expect(g3.imageTokens(width: 64, height: 64, resolution: .low) == 280)
        #expect(g3.imageTokens(width: 64, height: 64, resolution: .medium) == 560)
        #expect(g3.imageTokens(width: 64, height: 64, resolution: .ultraHigh) == 2240)
        #expect(ModelCatalog.profile(for: "gemini-2.5-flash").imageTokens(width: 3840, height: 2160, resolution: nil) == 258)
        #expect(ModelCatalog.profile(for: "gemini-2.0-flash").imageTokens(width: 1000, height: 1000, resolution: nil) == 4 * 258)
    }

    @Test func statusAndGuesses() {
        #expect(ModelCatalog.profile(for: ModelCatalog.defaultModel).status == .ga)
        #expect(ModelCatalog.profile(for: "models/gemini-3.6-flash").id == "gemini-3.6-flash")
        #expect(ModelCatalog.profile(for: "gemini-3.7-flash").status == .routed(to: "gemini-3.8-flash"))
        let guessed = ModelCatalog.profile(for: "gemini-4.0-flash")
        #expect(guessed.status == .unknown && guessed.segmentation == .polygons && guessed.mediaResolutionPlacement == .perPart)
        #expect(ModelCatalog.profile(for: "gemini-2.5-flash-exp").segmentation == .pngMasks)
        #expect(guessed.refined(thinkingReported: false).thinking == .none)
    }
}

@Suite struct ObservedImageTokensTests {
    @Test func anObservedCountReplacesTheRuleOnlyWhereSizeDoesNotMatter() {
        let observed = ObservedImageTokens([
            ImageTokenRecord(model: "gemini-3.6-flash", mediaResolution: "low", tokens: 270, observedAt: Date()),
            ImageTokenRecord(model: "gemini-2.0-flash", mediaResolution: "default", tokens: 999, observedAt: Date()),
        ])
        let g3 = ModelCatalog.profile(for: "gemini-3.6-flash")
        #expect(observed.imageTokens(profile: g3, width: 640, height: 480, resolution: .low) == 270)
        #expect(observed.imageTokens(profile: g3, width: 640, height: 480, resolution: nil) == 1120, "another level keeps the rule")
        let tiles = ModelCatalog.profile(for: "gemini-2.0-flash")
        #expect(observed.imageTokens(profile: tiles, width: 1000, height: 1000, resolution: nil) == 4 * 258, "tiles depend on size")
    }

    @Test func gemini25CountsByMediaResolution() {
        let p = ModelCatalog.profile(for: "gemini-2.5-flash")
        #expect(
            [nil, .low, .medium, .high].map { p.imageTokens(width: 3000, height: 2000, resolution: $0) } == [258, 64, 256, 258])
    }
}
