/// One model id of a catalogue: its status and the rules it answers by.
struct ModelEntry: Sendable, Equatable {
    let id: String
    var status: ModelStatus = .available
    /// `displayName` in models.list (catalogue 2025 lists the id itself).
    var displayName: String
    /// `version` in models.list; nil in catalogue 2025, whose listing predates it.
    var version: String?
    var thinking: ThinkingControl
    var images: ImageTokenRule
    var segmentation: SegmentationForm

    /// Whether models.list says `"thinking": true`.
    var thinks: Bool { thinking != .off }

    /// A model of catalogue 2025, its rules read from its name as the seed page's emulator
    /// did: 2.5, 3.x, `*-thinking-*` and the two `-latest` aliases think; budget ranges by
    /// `pro`/`lite` in the name; `thinking_level` refused on 2.5 only; image tiles.
    static func seed(_ id: String) -> ModelEntry {
        let thinks =
            id.contains("2.5") || id.hasPrefix("gemini-3") || id.contains("thinking")
            || id == "gemini-flash-latest" || id == "gemini-flash-lite-latest"
        let levelError = id.contains("2.5") ? "thinking_level is not supported by this model" : nil
        return ModelEntry(
            id: id, displayName: id,
            thinking: thinks ? .budget(budgetRange(id), levelError: levelError) : .off,
            images: .tiles, segmentation: .configured)
    }

    /// A model outside catalogue 2026 (`--model`, `extraModels`), its rules guessed from its
    /// name: `gemini-3*` as a 3.x Flash (all levels, default medium), 2.5 as in the catalogue,
    /// anything else as catalogue 2025 would treat it.
    static func guessed(_ id: String) -> ModelEntry {
        if id.hasPrefix("gemini-3") {
            return ModelEntry(
                id: id, displayName: id, thinking: .levels(.init(defaultLevel: .medium)), images: .perResolution,
                segmentation: .outline)
        }
        if id.contains("2.5") {
            return ModelEntry(
                id: id, displayName: id, thinking: .budget(budgetRange(id), levelError: levelNotSupported),
                images: .flat258, segmentation: .configured)
        }
        return seed(id)
    }

    /// The 2026 answer to `thinkingLevel` on a 2.5 model (gemini-api-2026.md §2.2).
    static let levelNotSupported = "Thinking level is not supported for this model."

    static func budgetRange(_ id: String) -> ThinkingControl.BudgetRange {
        id.contains("pro") ? .pro : id.contains("lite") ? .flashLite : .flash
    }
}
