/// How a model takes `generationConfig.thinkingConfig`.
enum ThinkingControl: Sendable, Equatable {
    /// Does not think; `thinkingBudget` and `thinkingLevel` are ignored.
    case off
    /// Gemini 2.5, and every thinking model of catalogue 2025: a token budget within `range`.
    /// `levelError` answers any `thinkingLevel` with a 400; nil ignores the level (catalogue
    /// 2025 on 3.x).
    case budget(BudgetRange, levelError: String?)
    /// Gemini 3.x: thinking levels, some refused; a budget is still accepted (gemini-api-2026.md §2.2).
    case levels(Levels)

    /// The documented `thinkingBudget` ranges of Gemini 2.5.
    enum BudgetRange: Sendable, Equatable {
        /// 0 (off) to 24576.
        case flash
        /// 0 (off) or 512 to 24576.
        case flashLite
        /// 128 to 32768; 0 is refused ("only works in thinking mode").
        case pro
    }

    /// What a 3.x model does with `thinkingBudget: 0`.
    enum BudgetZero: Sendable, Equatable {
        /// Thinking turns off (3.6 Flash, 3.5 Flash).
        case honoured
        /// Accepted, but the model thinks at its lowest level anyway (3.7 and 3.8 Flash).
        case thinksAnyway
        /// 400 INVALID_ARGUMENT (3.5 Flash-Lite).
        case refused
    }

    /// The thinking levels of a 3.x model (gemini-api-2026.md §2.1).
    struct Levels: Sendable, Equatable {
        /// Levels answered with 400 "Thinking level X is not supported for this model. ...".
        var refused: Set<ThinkingLevel> = []
        /// The level used when the request names none.
        var defaultLevel: ThinkingLevel
        var budgetZero: BudgetZero = .honoured

        /// The least thinking this model accepts.
        var lowest: ThinkingLevel { ThinkingLevel.allCases.first { !refused.contains($0) } ?? defaultLevel }
    }
}
