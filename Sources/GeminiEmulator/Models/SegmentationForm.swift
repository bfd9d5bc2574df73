/// How a model draws segmentation masks.
enum SegmentationForm: Sendable, Equatable {
    /// As `EmulatorConfiguration.maskForm` says (a 256x256 PNG by default): Gemini 2.5 and
    /// every model of catalogue 2025.
    case configured
    /// Gemini 3.x, as on the image-understanding page of 2026-09-24: the object's outline as a
    /// polygon of `[x, y]` points on the whole image's 0-1000 grid, x first (unlike `box_2d`).
    case outline
}
