/// Token accounting of one request, written as `usageMetadata` with zero counts left out.
struct UsageMetadata: Sendable, Equatable {
    /// Prompt tokens per modality, in first-seen order (`TEXT`, `IMAGE`, ...).
    var promptByModality: [(String, Int)] = []
    var candidates = 0
    var thoughts = 0
    /// `serviceTier` (catalogue 2026: `standard` unless the request asked for another tier).
    var serviceTier: String?

    static func == (lhs: UsageMetadata, rhs: UsageMetadata) -> Bool {
        lhs.promptByModality.elementsEqual(rhs.promptByModality, by: { $0 == $1 })
            && lhs.candidates == rhs.candidates && lhs.thoughts == rhs.thoughts && lhs.serviceTier == rhs.serviceTier
    }

    var promptTokens: Int { promptByModality.reduce(0) { $0 + $1.1 } }
    var total: Int { promptTokens + candidates + thoughts }

    mutating func addPrompt(_ modality: String, _ tokens: Int) {
        guard tokens > 0 else { return }
        if let index = promptByModality.firstIndex(where: { $0.0 == modality }) {
            promptByModality[index].1 += tokens
        } else {
            promptByModality.append((modality, tokens))
        }
    }

    var promptDetails: WireJSON {
        .array(promptByModality.map { .object([("modality", .string($0.0)), ("tokenCount", .int(Int64($0.1)))]) })
    }

    var json: WireJSON {
        func count(_ value: Int) -> WireJSON? { value > 0 ? .int(Int64(value)) : nil }
        return .compactObject([
            ("promptTokenCount", count(promptTokens)),
            ("candidatesTokenCount", count(candidates)),
            ("totalTokenCount", count(total)),
            ("promptTokensDetails", promptByModality.isEmpty ? nil : promptDetails),
            ("thoughtsTokenCount", count(thoughts)),
            ("serviceTier", serviceTier.map(WireJSON.string)),
        ])
    }

    /// Prompt tokens of `prompt`; `scenes[i]` gives the pixel size of image `media[i]`, `images`
    /// the answering model's image rule.
    static func prompt(_ prompt: PromptRequest, scenes: [SceneAnalysis?], images: ImageTokenRule) -> UsageMetadata {
        var usage = UsageMetadata()
        usage.addPrompt("TEXT", TokenCounter.text(prompt.promptText) + TokenCounter.text(prompt.systemText))
        for (index, media) in prompt.media.enumerated() {
            if let scene = scenes[index] {
                usage.addPrompt(
                    "IMAGE",
                    images.tokens(
                        width: scene.width, height: scene.height, part: media.resolution, global: prompt.mediaResolution,
                        explicit: media.explicitTokens))
            } else {
                let cost = TokenCounter.media(mimeType: media.mimeType, byteCount: media.byteCount)
                usage.addPrompt(cost.modality, cost.tokens)
            }
        }
        return usage
    }
}
