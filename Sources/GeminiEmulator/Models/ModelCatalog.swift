/// The models the emulator serves and how a requested id is answered: catalogue 2025 (the
/// late-2025 page's rules) or catalogue 2026 (gemini-api-2026.md §1.1, December 2026).
struct ModelCatalog: Sendable {
    let year: EmulatorConfiguration.Catalog
    /// What models.list shows, in order.
    let entries: [ModelEntry]
    private let byID: [String: ModelEntry]
    /// Every entry of the catalogue, so routes and aliases reach targets that `models` leaves out.
    private let catalogue: [String: ModelEntry]

    init(_ configuration: EmulatorConfiguration) {
        year = configuration.catalog
        let base = year == .y2025 ? EmulatorConfiguration.defaultModels.map(ModelEntry.seed) : Self.december2026
        let known = Dictionary(uniqueKeysWithValues: base.map { ($0.id, $0) })
        catalogue = known
        var ids = configuration.models ?? base.map(\.id)
        for extra in configuration.extraModels where !ids.contains(extra) { ids.append(extra) }
        let named = Set((configuration.models ?? []) + configuration.extraModels)
        let guess = year == .y2025 ? ModelEntry.seed : ModelEntry.guessed
        entries = ids.map { id in
            guard var entry = known[id] else { return guess(id) }
            // Naming a model closed to new users makes this an existing project, which it still serves.
            if entry.status == .closedToNewUsers, named.contains(id) { entry.status = .available }
            return entry
        }
        byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The listed entry for `id`, whatever its status (models.get).
    func listed(_ id: String) -> ModelEntry? {
        byID[id]
    }

    /// The model that answers a request to `id`: itself, or the target of a route or alias.
    /// Unknown ids get the unknown-model 404 naming `method`; closed and shut-down ids their 404.
    func answering(_ id: String, method: String) throws(GoogleError) -> ModelEntry {
        guard let entry = byID[id] else { throw .modelNotFound(id, method: method) }
        switch entry.status {
        case .available:
            return entry
        case .routed(let target), .alias(let target):
            return catalogue[target] ?? entry
        case .closedToNewUsers:
            throw .modelClosedToNewUsers(id)
        case .shutDown:
            throw .modelShutDown(id)
        }
    }

    /// gemini-api-2026.md §1.1 as of 2026-12-04. Versions follow the captured pattern
    /// (`3.5-flash-05-2026`, month of release); only that one, `3.1-flash-lite-05-2026` and
    /// `3.1-pro-preview-01-2026` are captured, the rest are derived from release dates.
    ///
    /// `gemini-2.5-pro` is routed to `gemini-3.8-flash`, also for a new user: since 2026-12-01
    /// 2.5 Pro requests are routed there (three third-party pages reading Google's deprecations
    /// page, DEVTO/W3C/RETELL); before that a new user got the "no longer available to new users"
    /// 404. `gemini-2.5-flash` stays closed (404), as the brief of Part 9 and the observed 404s
    /// (CD450, CD476) have it, although the same pages say it is routed to 3.5 Flash-Lite too.
    static let december2026: [ModelEntry] = [
        gemini3("gemini-3.8-flash", "Gemini 3.8 Flash", "3.8-flash-09-2026", refusing: [.minimal], default: .medium, zero: .thinksAnyway),
        gemini3("gemini-3.6-flash", "Gemini 3.6 Flash", "3.6-flash-07-2026", default: .medium),
        gemini3("gemini-3.5-flash-lite", "Gemini 3.5 Flash-Lite", "3.5-flash-lite-07-2026", default: .minimal, zero: .refused),
        gemini3("gemini-3.1-flash-lite", "Gemini 3.1 Flash-Lite", "3.1-flash-lite-05-2026", default: .minimal),
        gemini3("gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", "3.1-pro-preview-01-2026", refusing: [.minimal], default: .high),
        gemini3("gemini-3-flash-preview", "Gemini 3 Flash Preview", "3-flash-preview-12-2025", default: .high),
        gemini3(
            "gemini-3.7-flash", "Gemini 3.7 Flash", "3.7-flash-08-2026", refusing: [.minimal], default: .medium, zero: .thinksAnyway,
            status: .routed(to: "gemini-3.8-flash")),
        gemini3("gemini-3.5-flash", "Gemini 3.5 Flash", "3.5-flash-05-2026", default: .medium, status: .routed(to: "gemini-3.6-flash")),
        gemini25("gemini-2.5-pro", "Gemini 2.5 Pro", "2.5", status: .routed(to: "gemini-3.8-flash")),
        gemini25("gemini-2.5-flash", "Gemini 2.5 Flash", "001", status: .closedToNewUsers),
        gemini25("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "001", status: .closedToNewUsers),
        gemini20("gemini-2.0-flash", "Gemini 2.0 Flash"),
        gemini20("gemini-2.0-flash-001", "Gemini 2.0 Flash 001"),
        gemini20("gemini-2.0-flash-lite", "Gemini 2.0 Flash-Lite"),
        gemini20("gemini-2.0-flash-lite-001", "Gemini 2.0 Flash-Lite 001"),
        gemini3(
            "gemini-3-pro-preview", "Gemini 3 Pro Preview", "3-pro-preview-11-2025", refusing: [.minimal], default: .high,
            status: .shutDown),
        gemini3(
            "gemini-3.1-flash-lite-preview", "Gemini 3.1 Flash-Lite Preview", "3.1-flash-lite-preview-03-2026", default: .minimal,
            status: .shutDown),
        gemini3(
            "gemini-flash-latest", "Gemini Flash Latest", "3.8-flash-09-2026", refusing: [.minimal], default: .medium,
            status: .alias(of: "gemini-3.8-flash")),
        gemini3(
            "gemini-pro-latest", "Gemini Pro Latest", "3.1-pro-preview-01-2026", refusing: [.minimal], default: .high,
            status: .alias(of: "gemini-3.1-pro-preview")),
        // Target unverified (gemini-api-2026.md §1.1: "flash-lite-latest target [U]").
        gemini3(
            "gemini-flash-lite-latest", "Gemini Flash-Lite Latest", "3.5-flash-lite-07-2026", default: .minimal, zero: .refused,
            status: .alias(of: "gemini-3.5-flash-lite")),
    ]

    private static func gemini3(
        _ id: String, _ name: String, _ version: String, refusing refused: Set<ThinkingLevel> = [], default level: ThinkingLevel,
        zero: ThinkingControl.BudgetZero = .honoured, status: ModelStatus = .available
    ) -> ModelEntry {
        ModelEntry(
            id: id, status: status, displayName: name, version: version,
            thinking: .levels(.init(refused: refused, defaultLevel: level, budgetZero: zero)),
            images: .perResolution, segmentation: .outline)
    }

    private static func gemini25(_ id: String, _ name: String, _ version: String, status: ModelStatus) -> ModelEntry {
        ModelEntry(
            id: id, status: status, displayName: name, version: version,
            thinking: .budget(ModelEntry.budgetRange(id), levelError: ModelEntry.levelNotSupported),
            images: .flat258, segmentation: .configured)
    }

    /// Shut down 2026-06-01; listed still (the 2026-06-26 capture listed them: listed is not callable).
    private static func gemini20(_ id: String, _ name: String) -> ModelEntry {
        ModelEntry(
            id: id, status: .shutDown, displayName: name, version: "2.0", thinking: .off, images: .tiles,
            segmentation: .configured)
    }
}
