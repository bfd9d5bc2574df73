/// `media_resolution`: how much detail the model takes from each image, sent as `MEDIA_RESOLUTION_*`.
public enum MediaResolution: String, Sendable, Hashable, CaseIterable {
    case low, medium, high
    /// Gemini 3.x only, and only on an image part (not in `generationConfig`).
    case ultraHigh = "ultra_high"

    /// The wire value: `MEDIA_RESOLUTION_LOW` … `MEDIA_RESOLUTION_ULTRA_HIGH`.
    public var wireValue: String { "MEDIA_RESOLUTION_" + rawValue.uppercased() }
}
