/// How a model counts the prompt tokens of one image.
enum ImageTokenRule: Sendable, Equatable {
    /// Catalogue 2025 (the seed page): 258 per 768x768 tile (`TokenCounter.image`);
    /// `MEDIA_RESOLUTION_LOW` 64 and `MEDIUM` 256, globally or per part.
    case tiles
    /// Gemini 2.5 in catalogue 2026: a flat 258 whatever the size, as measured
    /// (gemini-api-2026.md §3); `LOW` 64 and `MEDIUM` 256 from the documented table. Per-part
    /// resolution is Gemini 3 only, so it is ignored.
    case flat258
    /// Gemini 3.x: fixed per media resolution, not per pixel: `LOW` 280, `MEDIUM` 560, `HIGH`
    /// and unspecified 1120, `ULTRA_HIGH` 2240 (per part only).
    case perResolution

    static let ultraHigh = "MEDIA_RESOLUTION_ULTRA_HIGH"

    /// Refuses what the model refuses in `generationConfig.mediaResolution`: `ULTRA_HIGH` is per
    /// part only in catalogue 2026 (gemini-api-2026.md §3). The message is emulator wording.
    func check(global: String?) throws(GoogleError) {
        guard self != .tiles, global == Self.ultraHigh else { return }
        throw .invalidArgument(
            "\(Self.ultraHigh) is not supported in generation_config.media_resolution; set it on a part's media_resolution.")
    }

    /// Tokens of a `width` x `height` image under a per-part level (`part`) and the
    /// `generationConfig` one (`global`); a per-part `numTokens` wins.
    func tokens(width: Int, height: Int, part: String?, global: String?, explicit: Int?) -> Int {
        switch self {
        case .tiles:
            return TokenCounter.image(width: width, height: height, resolution: part ?? global, explicitTokens: explicit)
        case .flat258:
            switch global {
            case "MEDIA_RESOLUTION_LOW": return 64
            case "MEDIA_RESOLUTION_MEDIUM": return 256
            default: return 258
            }
        case .perResolution:
            if let explicit, explicit > 0 { return explicit }
            switch part ?? global {
            case "MEDIA_RESOLUTION_LOW": return 280
            case "MEDIA_RESOLUTION_MEDIUM": return 560
            case Self.ultraHigh: return 2240
            default: return 1120
            }
        }
    }
}
