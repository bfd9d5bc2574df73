import JSONModel
import Prompts

/// What a `keywords` prompt adds to its request: the rules in words after the prompt's text, and a
/// `responseJsonSchema` of an array of strings (only the vocabulary's entries with `vocabulary_only`).
enum KeywordRequest {
    /// The prompt's text followed by the cap, the `Parent|Child` form and the vocabulary.
    static func text(_ prompt: PromptSettings) -> String {
        let rules = prompt.keywordRules
        var text =
            prompt.text
            + "\n\nAnswer with a JSON array of at most \(rules.maxKeywords) keywords (strings). Write a hierarchical keyword "
            + "with | between its levels, broadest first, such as Animals|Dog."
        if !rules.vocabulary.isEmpty {
            let list = rules.vocabulary.joined(separator: "; ")
            text +=
                rules.vocabularyOnly
                ? "\nUse only keywords from this list, spelled as listed: \(list)"
                : "\nPrefer keywords from this list, spelled as listed, when they fit: \(list)"
        }
        return text
    }

    /// `{"type": "array", "items": {"type": "string"}, "maxItems": N}`, items limited to the vocabulary
    /// with `vocabulary_only`.
    static func schema(_ rules: KeywordRules) -> JSONValue {
        var item: [JSONValue.Member] = [.init(key: "type", value: .string("string"))]
        if rules.vocabularyOnly, !rules.vocabulary.isEmpty {
            item.append(.init(key: "enum", value: .array(rules.vocabulary.map(JSONValue.string))))
        }
        return .object([
            .init(key: "type", value: .string("array")),
            .init(key: "items", value: .object(item)),
            .init(key: "maxItems", value: .number(Double(rules.maxKeywords))),
        ])
    }
}
