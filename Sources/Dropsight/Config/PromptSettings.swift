import Prompts

/// What a prompt asks for and how its reply is read.
public enum PromptKind: String, Sendable, Equatable, CaseIterable {
    case text, json, detect, segment, keywords

    /// Detect and segment: answers about where things are.
    public var isSpatial: Bool { self == .detect || self == .segment }
}

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
    /// `thinking` (or the older `thinking_budget`). Unset: the model's default, and for detect and segment
    /// the lowest setting the model accepts (Google's advice for spatial prompts); see ``ModelProfile``.
    public var thinking: ThinkingSetting?
    public var maxOutputTokens: Int?
    /// `low`, `medium`, `high` or (3.x, per image) `ultra_high` → `MEDIA_RESOLUTION_*`; unset: the model's default.
    public var mediaResolution: MediaResolution?
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
    /// Long side of overlay PNGs. Default 1024, the size the page's own drawing code uses.
    public var overlayMaxSide: Int = 1024
    /// What the detect and segment overlay is. Default `composite`.
    public var overlay: OverlayMode = .composite
    /// `keywords` prompts: at most this many keywords. Default 20.
    public var maxKeywords: Int = 20
    /// `keywords` prompts: the person's keywords (`vocabulary` and the lines of `vocabulary_file`), preferred.
    public var vocabulary: [String] = []
    /// `keywords` prompts: keep only keywords of the vocabulary.
    public var vocabularyOnly: Bool = false
    /// `text` prompts: the XMP field the answer goes to in folders with `xmp = true`.
    public var xmp: XMPField?

    /// How a `keywords` reply is cut down.
    public var keywordRules: KeywordRules {
        KeywordRules(maxKeywords: maxKeywords, vocabulary: vocabulary, vocabularyOnly: vocabularyOnly)
    }
}

/// `xmp` of a `text` prompt: which XMP field its answer fills.
public enum XMPField: String, Sendable, Hashable, CaseIterable {
    /// `dc:description`.
    case description
    /// `dc:title`.
    case title
    /// `Iptc4xmpCore:AltTextAccessibility`.
    case altText = "alt_text"
}

/// `overlay` of a detect or segment prompt.
public enum OverlayMode: String, Sendable, Hashable, CaseIterable {
    /// The upright picture with the boxes, masks and labels drawn over it.
    case composite
    /// Only the boxes, masks and labels on a transparent PNG the size of the composite, for tools that stack it
    /// over the photo: small, and drawn without decoding the photo.
    case layer
    /// No overlay file.
    case off
}
