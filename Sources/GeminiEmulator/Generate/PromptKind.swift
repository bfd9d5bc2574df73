/// What a prompt asks for, read from its text the way the emulator's tests phrase prompts.
enum PromptKind: Sendable, Equatable {
    /// Mentions a segmentation mask: answer items with `box_2d`, `mask`, `label`.
    case segment
    /// Mentions bounding boxes, `box_2d` or detecting: answer a `box_2d` list.
    case detect
    /// Anything else: a caption (or a JSON object in JSON mode).
    case describe

    static func of(_ prompt: PromptRequest) -> PromptKind {
        let text = (prompt.systemText + "\n" + prompt.promptText).lowercased()
        if text.contains("segmentation mask") || text.range(of: #"\bmasks?\b"#, options: .regularExpression) != nil {
            return .segment
        }
        if text.contains("bounding box") || text.contains("box_2d") || text.contains("detect") {
            return .detect
        }
        return .describe
    }
}
