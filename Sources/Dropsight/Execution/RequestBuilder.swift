import Foundation
import GeminiAPI
import JSONModel

/// Turns a prompt definition and its images into a `generateContent` request.
///
/// Images come first, in the configured order (references, previous image, the image), then the text:
/// Google's advice for single-image prompts, and the order the comparisons read naturally.
public enum RequestBuilder {
    public static func build(prompt: PromptSettings, imageParts: [Part]) -> GenerateContentRequest {
        var config = GenerationConfig()
        config.temperature = prompt.temperature
        config.maxOutputTokens = prompt.maxOutputTokens
        if let budget = prompt.thinkingBudget { config.thinkingConfig = ThinkingConfig(thinkingBudget: budget) }
        if let m = prompt.mediaResolution { config.mediaResolution = "MEDIA_RESOLUTION_" + m.uppercased() }
        switch prompt.kind {
        case .json:
            config.responseMimeType = "application/json"
            if let schema = prompt.schemaJSON, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(schema.utf8)) {
                config.responseJsonSchema = value
            }
        case .detect:
            config.responseMimeType = "application/json"
        case .text, .segment:
            break
        }
        return GenerateContentRequest(
            contents: [Content(role: "user", parts: imageParts + [.text(prompt.text)])],
            systemInstruction: prompt.system.map { Content(role: nil, parts: [.text($0)]) },
            generationConfig: config.isEmpty ? nil : config)
    }
}
