import Foundation

extension PromptSettings {
    /// A stable hash of everything that changes what this prompt asks or how its answer is read.
    /// A different hash makes earlier results of this prompt stale.
    public func definitionHash(defaultModel: String) -> String {
        let parts: [String] = [
            "v1", kind.rawValue, text, model ?? defaultModel, system ?? "",
            temperature.map { String($0) } ?? "", thinkingBudget.map { String($0) } ?? "",
            maxOutputTokens.map { String($0) } ?? "", mediaResolution ?? "", resolution.description,
            schemaJSON ?? "", references.joined(separator: "\u{1F}"), String(withPrevious), String(maskThreshold),
        ]
        return String(FileHash.sha256Hex(Data(parts.joined(separator: "\u{1E}").utf8)).prefix(16))
    }

    /// The model this prompt runs on.
    public func effectiveModel(default defaultModel: String) -> String { model ?? defaultModel }
}
