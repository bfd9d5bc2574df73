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
}
