import Foundation

extension PromptSettings {
    /// A stable hash of everything that changes what this prompt asks or how its answer is read.
    /// A different hash makes earlier results of this prompt stale.
    public func definitionHash(defaultModel: String) -> String {
        var parts: [String] = [
            "v1", kind.rawValue, text, model ?? defaultModel, system ?? "",
            temperature.map { String($0) } ?? "", thinkingPart,
            maxOutputTokens.map { String($0) } ?? "", mediaResolution?.rawValue ?? "", resolution.description,
            schemaJSON ?? "", references.joined(separator: "\u{1F}"), String(withPrevious), String(maskThreshold),
        ]
        if kind == .keywords {  // only here, so the hashes of the other kinds stay as they were
            parts += [String(maxKeywords), vocabulary.joined(separator: "\u{1F}"), String(vocabularyOnly)]
        }
        return String(FileHash.sha256Hex(Data(parts.joined(separator: "\u{1E}").utf8)).prefix(16))
    }

    /// Thinking as hashed: a budget as its number, and an unset spatial setting as "0", the budget it
    /// stood for before `thinking` existed, so configurations written then keep their results.
    private var thinkingPart: String {
        switch thinking {
        case nil: return kind.isSpatial ? "0" : ""
        case .budget(let n): return String(n)
        case let setting?: return setting.description
        }
    }

    /// The model this prompt runs on.
    public func effectiveModel(default defaultModel: String) -> String { model ?? defaultModel }
}
