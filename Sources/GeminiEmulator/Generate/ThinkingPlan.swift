/// How many thought tokens a request spends, and whether its thinking settings are legal.
///
/// Thinking models (2.5 and 3.x) think unless the budget is 0; a budget of -1 or none means
/// "automatic". Ranges follow the documentation: 2.5 Pro 128-32768 (cannot turn off),
/// 2.5 Flash 0-24576, 2.5 Flash-Lite 0 or 512-24576.
struct ThinkingPlan: Sendable, Equatable {
    let thoughtTokens: Int

    static func isThinkingModel(_ model: String) -> Bool {
        model.contains("2.5") || model.hasPrefix("gemini-3") || model.contains("thinking")
            || model == "gemini-flash-latest" || model == "gemini-flash-lite-latest"
    }

    static func plan(model: String, budget: Int?, level: String?, promptTokens: Int) throws(GoogleError) -> ThinkingPlan {
        if let level, level != "THINKING_LEVEL_UNSPECIFIED", model.contains("2.5") {
            throw .invalidArgument("thinking_level is not supported by this model")
        }
        guard isThinkingModel(model) else { return ThinkingPlan(thoughtTokens: 0) }
        if let budget, budget != -1 {
            let range: ClosedRange<Int>
            if model.contains("pro") {
                if budget == 0 { throw .invalidArgument("Budget 0 is invalid. This model only works in thinking mode.") }
                range = 128...32768
            } else if model.contains("lite") {
                range = budget == 0 ? 0...0 : 512...24576
            } else {
                range = 0...24576
            }
            guard range.contains(budget) else { throw .invalidArgument("The thinking budget (\(budget)) is invalid.") }
            if budget == 0 { return ThinkingPlan(thoughtTokens: 0) }
            return ThinkingPlan(thoughtTokens: min(budget, automatic(promptTokens)))
        }
        return ThinkingPlan(thoughtTokens: automatic(promptTokens))
    }

    /// What the emulator "thinks" when left to itself: grows slowly with the prompt.
    private static func automatic(_ promptTokens: Int) -> Int {
        120 + min(880, promptTokens / 8)
    }
}
