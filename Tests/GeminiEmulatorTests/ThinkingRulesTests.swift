import DropsightTestSupport
import Testing

@testable import GeminiEmulator

/// Thinking levels and budgets per model of catalogue 2026 (gemini-api-2026.md §2).
@Suite(.cleansUp) struct ThinkingRulesTests {
    static let refusedMinimal = "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level."

    func level(_ level: String, spelling key: String = "thinkingLevel") -> String {
        #"{"thinkingConfig": {"\#(key)": "\#(level)"}}"#
    }

    @Test(arguments: ["gemini-3.8-flash", "gemini-3.7-flash", "gemini-3.1-pro-preview", "gemini-flash-latest", "gemini-pro-latest"])
    func minimalIsRefusedIn(_ model: String) async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let upper = try await emulator.generate(model, config: level("MINIMAL"))
        let lower = try await emulator.generate(model, config: level("minimal", spelling: "thinking_level"))
        let low = try await emulator.generate(model, config: level("low", spelling: "thinking_level"))

        #expect(upper.status == 400)
        #expect(
            upper.hasBody(#"{"error":{"code":400,"message":"\#(Self.refusedMinimal)","status":"INVALID_ARGUMENT"}}"#))
        #expect(lower.errorMessage == Self.refusedMinimal)
        #expect(low.status == 200)
        #expect(low.usage?["thoughtsTokenCount"]?.intValue ?? 0 > 0)
        await emulator.stop()
    }

    @Test(arguments: ["gemini-3.6-flash", "gemini-3.5-flash", "gemini-3.5-flash-lite", "gemini-3.1-flash-lite", "gemini-3-flash-preview"])
    func everyLevelIsTakenBy(_ model: String) async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        var thoughts: [Int] = []
        for name in ["Minimal", "low", "MEDIUM", "high"] {
            let reply = try await emulator.generate(model, config: level(name, spelling: "thinking_level"))
            #expect(reply.status == 200, "\(name): \(reply.text)")
            thoughts.append(reply.usage?["thoughtsTokenCount"]?.intValue.map(Int.init) ?? 0)
        }

        #expect(thoughts[0] == 0)  // minimal: no thought tokens
        #expect(thoughts == thoughts.sorted() && thoughts[1] > 0 && thoughts[3] > thoughts[2])
        await emulator.stop()
    }

    @Test(arguments: [
        ("gemini-3.8-flash", true), ("gemini-3.6-flash", true), ("gemini-3.1-pro-preview", true),
        ("gemini-3.5-flash-lite", false), ("gemini-3.1-flash-lite", false),
    ])
    func modelsThinkByDefaultExceptTheMinimalOnes(_ model: String, _ thinks: Bool) async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let reply = try await emulator.generate(model)
        #expect((reply.usage?["thoughtsTokenCount"] != nil) == thinks)
        await emulator.stop()
    }

    @Test func levelAndBudgetTogetherAreRefused() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let both = try await emulator.generate(
            "gemini-3.6-flash", config: #"{"thinking_config": {"thinking_level": "LOW", "thinking_budget": 1024}}"#)
        #expect(both.status == 400)
        #expect(both.errorMessage == "thinking_budget and thinking_level are not supported together")
        await emulator.stop()
    }

    @Test func budgetsStillWorkOn3xExceptZeroOnFlashLite() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let zeroLite = try await emulator.generate("gemini-3.5-flash-lite", config: #"{"thinkingConfig": {"thinkingBudget": 0}}"#)
        let zero36 = try await emulator.generate("gemini-3.6-flash", config: #"{"thinkingConfig": {"thinkingBudget": 0}}"#)
        let zero38 = try await emulator.generate("gemini-3.8-flash", config: #"{"thinkingConfig": {"thinkingBudget": 0}}"#)
        let capped = try await emulator.generate("gemini-3.6-flash", config: #"{"thinkingConfig": {"thinkingBudget": 50}}"#)
        let lite512 = try await emulator.generate("gemini-3.5-flash-lite", config: #"{"thinkingConfig": {"thinkingBudget": 512}}"#)

        #expect(zeroLite.status == 400)
        #expect(zeroLite.json?["error"]?["status"] == .string("INVALID_ARGUMENT"))
        #expect(zero36.status == 200)
        #expect(zero36.usage?["thoughtsTokenCount"] == nil)
        #expect(zero38.status == 200)
        #expect(zero38.usage?["thoughtsTokenCount"]?.intValue ?? 0 > 0)  // 3.8 takes 0 but thinks anyway
        #expect(capped.usage?["thoughtsTokenCount"] == .int(50))
        #expect(lite512.status == 200)
        #expect(lite512.usage?["thoughtsTokenCount"]?.intValue ?? 0 > 0)
        await emulator.stop()
    }

    @Test func a25ModelRefusesLevelsWithThe2026Text() async throws {
        // gemini-2.5-flash is closed to new users; naming it makes this an existing project.
        let emulator = try await EmulatorHarness.start(catalog: .y2026) { $0.extraModels = ["gemini-2.5-flash"] }
        let leveled = try await emulator.generate("gemini-2.5-flash", config: level("LOW"))
        let off = try await emulator.generate("gemini-2.5-flash", config: #"{"thinkingConfig": {"thinkingBudget": 0}}"#)

        #expect(leveled.status == 400)
        #expect(
            leveled.hasBody(
                #"{"error":{"code":400,"message":"Thinking level is not supported for this model.","status":"INVALID_ARGUMENT"}}"#))
        #expect(off.status == 200)
        #expect(off.usage?["thoughtsTokenCount"] == nil)
        await emulator.stop()
    }

    @Test func unknownLevelNamesAreStillInvalidValues() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let reply = try await emulator.generate("gemini-3.6-flash", config: level("extreme"))
        #expect(reply.status == 400)
        #expect(reply.errorMessage?.hasPrefix("Invalid value at 'generation_config.thinking_config.thinking_level'") == true)
        await emulator.stop()
    }
}
