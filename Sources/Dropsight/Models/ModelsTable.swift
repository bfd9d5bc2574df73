import GeminiAPI

/// The table `dropsight models` prints: what the key can see, each with dropsight's profile of it.
public enum ModelsTable {
    public static func render(_ models: [GeminiModel]) -> String {
        let rows = models.filter { ($0.supportedGenerationMethods ?? ["generateContent"]).contains("generateContent") }
            .sorted { $0.id < $1.id }
            .map { model -> [String] in
                let profile = ModelCatalog.profile(for: model.id).refined(thinkingReported: model.thinking == true)
                return [
                    model.id, status(profile.status), thinking(profile.thinking), tokens(profile.imageCost),
                    segmentation(profile.segmentation),
                ]
            }
        return FilesTable.render(
            header: ["MODEL", "STATUS", "THINKING", "IMAGE TOKENS", "SEGMENTATION"], rows: rows,
            empty: "the key sees no model that answers generateContent")
    }

    static func status(_ s: ModelProfile.Status) -> String {
        switch s {
        case .ga: return "GA"
        case .preview: return "preview"
        case .routed(let target): return "routed to \(target)"
        case .alias(let target): return "alias of \(target)"
        case .closedToNewUsers: return "closed to new users"
        case .shutDown: return "shut down"
        case .unknown: return "unknown (guessed)"
        }
    }

    static func thinking(_ t: ModelProfile.Thinking) -> String {
        switch t {
        case .none: return "none"
        case .budget(let range, let canStop): return "budget \(canStop ? 0 : range.lowerBound)-\(range.upperBound)"
        case .levels(let accepted, let level):
            return "levels " + accepted.map(\.rawValue).joined(separator: ",") + " (default \(level.rawValue))"
        }
    }

    static func tokens(_ c: ModelProfile.ImageCost) -> String {
        switch c {
        case .tiles: return "258 per tile"
        case .flat(let n, let low, let medium): return "\(n) per image (low \(low), medium \(medium))"
        case .byMediaResolution: return "280/560/1120/2240 by level"
        }
    }

    static func segmentation(_ s: ModelProfile.Segmentation) -> String { s == .polygons ? "polygons" : "PNG masks" }
}
