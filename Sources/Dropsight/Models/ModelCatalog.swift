import Foundation

/// The models dropsight knows, as of December 2026, and the profile of any other id.
///
/// Sources: `../shared/reference/gemini-api-2026.md` §1.1 (status), §2.1 (levels each model accepts and
/// its default), §3 (image tokens), §4 (segmentation). A routed or aliased id gets the rules of the model
/// that answers it. Update this table, and only this table, when Google changes the line-up.
public enum ModelCatalog {
    /// The default `[api] model`: GA with no announced shutdown, the cheapest current model, and Google's
    /// named successor to 2.5 Flash (§1.1, §8). It accepts every thinking level, so detect and segment can
    /// think minimally, and it answers every prompt kind dropsight has.
    public static let defaultModel = "gemini-3.5-flash-lite"

    static let allLevels = ThinkingLevel.allCases
    static let noMinimal: [ThinkingLevel] = [.low, .medium, .high]

    static func gemini3(
        _ id: String, _ status: ModelProfile.Status, levels: [ThinkingLevel], default level: ThinkingLevel,
        shutdown: String? = nil
    ) -> ModelProfile {
        ModelProfile(
            id: id, status: status, thinking: .levels(accepted: levels, default: level), imageCost: .byMediaResolution,
            segmentation: .polygons, mediaResolutionPlacement: .perPart, shutdown: shutdown)
    }

    static func gemini25(_ id: String, _ status: ModelProfile.Status, budget: ClosedRange<Int>, canStop: Bool) -> ModelProfile {
        ModelProfile(
            id: id, status: status, thinking: .budget(range: budget, canStop: canStop),
            imageCost: .flat(default: 258, low: 64, medium: 256),
            segmentation: .pngMasks, mediaResolutionPlacement: .generationConfig)
    }

    static func gemini20(_ id: String) -> ModelProfile {
        ModelProfile(
            id: id, status: .shutDown, thinking: .none, imageCost: .tiles, segmentation: .pngMasks,
            mediaResolutionPlacement: .generationConfig)
    }

    /// Every known id with its own profile (routed ids and aliases are resolved by ``profile(for:)``).
    public static let known: [ModelProfile] = [
        gemini3("gemini-3.8-flash", .ga, levels: noMinimal, default: .medium),
        gemini3("gemini-3.7-flash", .routed(to: "gemini-3.8-flash"), levels: noMinimal, default: .medium),
        gemini3("gemini-3.6-flash", .ga, levels: allLevels, default: .medium),
        gemini3("gemini-3.5-flash-lite", .ga, levels: allLevels, default: .minimal),
        gemini3("gemini-3.5-flash", .routed(to: "gemini-3.6-flash"), levels: allLevels, default: .medium),
        gemini3("gemini-3.1-flash-lite", .ga, levels: allLevels, default: .minimal, shutdown: "2027-05-07"),
        gemini3("gemini-3.1-pro-preview", .preview, levels: noMinimal, default: .high),
        gemini3("gemini-3-flash-preview", .preview, levels: allLevels, default: .high),
        gemini3("gemini-3-pro-preview", .shutDown, levels: noMinimal, default: .high),
        gemini3("gemini-3.1-flash-lite-preview", .shutDown, levels: allLevels, default: .minimal),
        gemini3("gemini-flash-latest", .alias(of: "gemini-3.8-flash"), levels: noMinimal, default: .medium),
        gemini3("gemini-pro-latest", .alias(of: "gemini-3.1-pro-preview"), levels: noMinimal, default: .high),
        gemini3("gemini-flash-lite-latest", .alias(of: "gemini-3.5-flash-lite"), levels: allLevels, default: .minimal),
        gemini25("gemini-2.5-flash", .closedToNewUsers, budget: 1...24576, canStop: true),
        gemini25("gemini-2.5-flash-lite", .closedToNewUsers, budget: 512...24576, canStop: true),
        gemini25("gemini-2.5-pro", .routed(to: "gemini-3.8-flash"), budget: 128...32768, canStop: false),
        gemini20("gemini-2.0-flash"), gemini20("gemini-2.0-flash-001"), gemini20("gemini-2.0-flash-lite"),
        gemini20("gemini-2.0-flash-lite-001"),
    ]

    /// The profile requests to `id` must follow: a known id's (a routed one or an alias takes the rules of
    /// the model that answers it, keeping its own id and status), else one guessed from the name
    /// (status ``ModelProfile/Status/unknown``).
    public static func profile(for id: String) -> ModelProfile {
        let bare = id.hasPrefix("models/") ? String(id.dropFirst(7)) : id
        guard let own = known.first(where: { $0.id == bare }) else { return guess(bare) }
        switch own.status {
        case .routed(let target), .alias(let target):
            guard var rules = known.first(where: { $0.id == target }) else { return own }
            rules.id = own.id
            rules.status = own.status
            rules.shutdown = own.shutdown
            return rules
        default:
            return own
        }
    }

    /// A profile from the id's shape: 2.0 and 1.5 do not think and pay by tiles; 2.5 takes budgets; anything
    /// else is taken for a 3.x-style model that may refuse `minimal`.
    static func guess(_ id: String) -> ModelProfile {
        if id.contains("-2.0-") || id.contains("-1.5-") {
            var p = gemini20(id)
            p.status = .unknown
            return p
        }
        if id.contains("-2.5-") {
            let budget: ClosedRange<Int> = id.contains("pro") ? 128...32768 : id.contains("lite") ? 512...24576 : 1...24576
            return gemini25(id, .unknown, budget: budget, canStop: !id.contains("pro"))
        }
        return gemini3(id, .unknown, levels: noMinimal, default: .medium)
    }
}

extension ModelProfile {
    /// This profile corrected by what `models.get` says: a model without `thinking` does not think.
    public func refined(thinkingReported: Bool) -> ModelProfile {
        guard !thinkingReported else { return self }
        var p = self
        p.thinking = .none
        return p
    }
}
