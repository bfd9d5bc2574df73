/// One model as `models.get` describes it (the fields dropsight reads; the rest are ignored).
public struct GeminiModel: Sendable, Decodable, Equatable {
    /// `models/gemini-3.5-flash-lite`.
    public var name: String
    /// `3.5-flash-lite-07-2026`; an alias gives its display name.
    public var version: String?
    public var inputTokenLimit: Int?
    public var outputTokenLimit: Int?
    /// `generateContent`, `countTokens`, … Listed is not the same as callable: a model closed to new users is still listed.
    public var supportedGenerationMethods: [String]?
    /// True for models that think; absent (nil) for those that do not.
    public var thinking: Bool?
    public var displayName: String?

    /// The id without `models/`.
    public var id: String { name.hasPrefix("models/") ? String(name.dropFirst(7)) : name }
}

/// One page of `models.list`.
public struct GeminiModelList: Sendable, Decodable {
    public var models: [GeminiModel]?
    public var nextPageToken: String?
}
