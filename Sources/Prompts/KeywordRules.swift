/// How a `keywords` reply is cut down: the cap, and the person's own vocabulary.
public struct KeywordRules: Sendable, Equatable {
    /// At most this many keywords are kept, the first ones the model gave.
    public var maxKeywords: Int
    /// The person's keywords (`Parent|Child` for levels). A keyword found here, by its whole path or its
    /// last level, case-insensitively, takes the vocabulary's spelling.
    public var vocabulary: [String]
    /// Keep only keywords found in `vocabulary`.
    public var vocabularyOnly: Bool

    public init(maxKeywords: Int, vocabulary: [String] = [], vocabularyOnly: Bool = false) {
        self.maxKeywords = maxKeywords
        self.vocabulary = vocabulary
        self.vocabularyOnly = vocabularyOnly
    }
}
