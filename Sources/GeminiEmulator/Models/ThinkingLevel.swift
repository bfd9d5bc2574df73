/// A `thinkingConfig.thinkingLevel` value, from least to most thinking.
enum ThinkingLevel: String, Sendable, CaseIterable {
    case minimal = "MINIMAL"
    case low = "LOW"
    case medium = "MEDIUM"
    case high = "HIGH"

    /// The level a wire value names, in any case (`"minimal"` and `"MINIMAL"` reach the same
    /// validation on the real service, gemini-api-2026.md §2.2); nil for
    /// `THINKING_LEVEL_UNSPECIFIED`, which means "the model's default".
    init?(wire: String) {
        self.init(rawValue: wire.uppercased())
    }

    /// Thought tokens spent at this level, growing slowly with the prompt like the automatic
    /// budget of 2.5 models (`medium` is that amount); `minimal` spends none.
    func thoughtTokens(promptTokens: Int) -> Int {
        switch self {
        case .minimal: return 0
        case .low: return 60 + min(440, promptTokens / 16)
        case .medium: return 120 + min(880, promptTokens / 8)
        case .high: return 240 + min(1760, promptTokens / 4)
        }
    }
}
