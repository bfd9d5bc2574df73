/// What a prompt asks for and how its reply is read.
public enum PromptKind: String, Sendable, Equatable, CaseIterable { case text, json, detect, segment }

/// One `[prompt.NAME]`.
public struct PromptSettings: Sendable, Equatable {
    public var name: String
    public var kind: PromptKind = .text
    /// The prompt text. Detect and segment prompts have a default from Google's documentation.
    public var text: String
    /// Model for this prompt; defaults to `[api] model`.
    public var model: String?
    /// System instruction.
    public var system: String?
    public var temperature: Double?
    /// Default 0 for detect and segment (Google's advice for spatial prompts), else unset.
    public var thinkingBudget: Int?
    public var maxOutputTokens: Int?
    /// `low`, `medium` or `high` → `MEDIA_RESOLUTION_*`.
    public var mediaResolution: String?
    /// What to send: `auto` (no more pixels than the model uses), `original`, or a long-side cap.
    public var resolution: ResolutionSetting = .auto
    /// JSON Schema for `json` prompts, sent as `responseJsonSchema`.
    public var schemaJSON: String?
    /// Reference images sent before the image, for comparisons.
    public var references: [String] = []
    /// Also send the previous image of the same folder (before/after).
    public var withPrevious: Bool = false
    /// Mask binarisation threshold, 0-255. Default 127.
    public var maskThreshold: Int = 127
    /// Also write one binary mask PNG per segment.
    public var writeMasks: Bool = false
    /// Long side of overlay PNGs. Default 2048.
    public var overlayMaxSide: Int = 2048
}
