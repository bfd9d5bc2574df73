/// How many thought tokens a request spends, and whether its thinking settings are legal for
/// the model that answers it (`ModelEntry.thinking`).
///
/// Budgets (2.5): -1 or none means "automatic"; ranges as documented: 2.5 Pro 128-32768 (cannot
/// turn off), 2.5 Flash 0-24576, 2.5 Flash-Lite 0 or 512-24576. Levels (3.x): the request's level,
/// else the model's default; a budget instead of a level thinks the automatic amount up to the
/// budget, as on 2.5 (gemini-api-2026.md §2).
struct ThinkingPlan: Sendable, Equatable {
    let thoughtTokens: Int

    static let budgetZeroRefused = "Budget 0 is invalid. This model only works in thinking mode."

    static func plan(
        _ control: ThinkingControl, budget: Int?, level: String?, promptTokens: Int
    ) throws(GoogleError) -> ThinkingPlan {
        let level = level.flatMap { $0 == "THINKING_LEVEL_UNSPECIFIED" ? nil : $0 }
        switch control {
        case .off:
            return ThinkingPlan(thoughtTokens: 0)
        case .budget(let range, let levelError):
            if level != nil, let levelError { throw .invalidArgument(levelError) }
            return try budgeted(range, budget: budget, promptTokens: promptTokens)
        case .levels(let levels):
            return try leveled(levels, budget: budget, level: level, promptTokens: promptTokens)
        }
    }

    private static func budgeted(
        _ range: ThinkingControl.BudgetRange, budget: Int?, promptTokens: Int
    ) throws(GoogleError) -> ThinkingPlan {
        let automatic = ThinkingLevel.medium.thoughtTokens(promptTokens: promptTokens)
        guard let budget, budget != -1 else { return ThinkingPlan(thoughtTokens: automatic) }
        let allowed: ClosedRange<Int>
        switch range {
        case .pro:
            if budget == 0 { throw .invalidArgument(budgetZeroRefused) }
            allowed = 128...32768
        case .flashLite:
            allowed = budget == 0 ? 0...0 : 512...24576
        case .flash:
            allowed = 0...24576
        }
        guard allowed.contains(budget) else { throw .invalidArgument("The thinking budget (\(budget)) is invalid.") }
        return ThinkingPlan(thoughtTokens: min(budget, automatic))
    }

    private static func leveled(
        _ levels: ThinkingControl.Levels, budget: Int?, level: String?, promptTokens: Int
    ) throws(GoogleError) -> ThinkingPlan {
        if level != nil, budget != nil {
            // Quoted in client code; no full response body captured (gemini-api-2026.md §2.2).
            throw .invalidArgument("thinking_budget and thinking_level are not supported together")
        }
        if let name = level {
            guard let chosen = ThinkingLevel(wire: name), !levels.refused.contains(chosen) else {
                throw .invalidArgument(
                    "Thinking level \(name.uppercased()) is not supported for this model. Please retry with other thinking level.")
            }
            return ThinkingPlan(thoughtTokens: chosen.thoughtTokens(promptTokens: promptTokens))
        }
        let usual = levels.defaultLevel.thoughtTokens(promptTokens: promptTokens)
        guard let budget, budget != -1 else { return ThinkingPlan(thoughtTokens: usual) }
        guard budget >= 0 else { throw .invalidArgument("The thinking budget (\(budget)) is invalid.") }
        if budget == 0 {
            switch levels.budgetZero {
            case .honoured:
                return ThinkingPlan(thoughtTokens: 0)
            case .thinksAnyway:
                return ThinkingPlan(thoughtTokens: levels.lowest.thoughtTokens(promptTokens: promptTokens))
            case .refused:
                // 3.5 Flash-Lite refuses 0 with a 400 (PG2936); the text is not captured: this
                // is 2.5 Pro's answer to the same request.
                throw .invalidArgument(budgetZeroRefused)
            }
        }
        return ThinkingPlan(thoughtTokens: min(budget, ThinkingLevel.medium.thoughtTokens(promptTokens: promptTokens)))
    }
}
