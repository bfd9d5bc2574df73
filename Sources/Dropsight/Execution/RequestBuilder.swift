import Foundation
import GeminiAPI
import JSONModel

/// Turns a prompt definition and its images into a `generateContent` request, under the rules of the
/// model's profile (thinking control, where `mediaResolution` goes, how segmentation is asked for).
///
/// Images come first, in the configured order (references, previous image, the image), then the text:
/// Google's advice for single-image prompts, and the order the comparisons read naturally.
public enum RequestBuilder {
    /// The request, and the thinking control it sends (recorded in the sidecar).
    public static func build(
        prompt: PromptSettings, imageParts: [Part], profile: ModelProfile
    )
        -> (request: GenerateContentRequest, thinking: SentThinking?)
    {
        var config = GenerationConfig()
        config.temperature = prompt.temperature
        config.maxOutputTokens = prompt.maxOutputTokens
        let thinking = profile.thinkingToSend(prompt.thinking, spatial: prompt.kind.isSpatial)
        switch thinking {
        case .budget(let n): config.thinkingConfig = ThinkingConfig(thinkingBudget: n)
        case .level(let level): config.thinkingConfig = ThinkingConfig(thinkingLevel: level.rawValue.uppercased())
        case nil: break
        }
        var parts = imageParts
        if let resolution = prompt.mediaResolution {
            switch profile.mediaResolutionPlacement {
            case .generationConfig: config.mediaResolution = resolution.wireValue
            case .perPart: parts = parts.map { $0.withMediaResolution(resolution.wireValue) }
            }
        }
        switch prompt.kind {
        case .json:
            config.responseMimeType = "application/json"
            if let schema = prompt.schemaJSON, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(schema.utf8)) {
                config.responseJsonSchema = value
            }
        case .detect:
            config.responseMimeType = "application/json"
            if profile.segmentation == .polygons { config.responseJsonSchema = SpatialSchema.boxes(withMasks: false) }
        case .segment:
            if profile.segmentation == .polygons {
                config.responseMimeType = "application/json"
                config.responseJsonSchema = SpatialSchema.boxes(withMasks: true)
            }
        case .keywords:
            config.responseMimeType = "application/json"
            config.responseJsonSchema = KeywordRequest.schema(prompt.keywordRules)
        case .text:
            break
        }
        let text = prompt.kind == .keywords ? KeywordRequest.text(prompt) : prompt.text
        let request = GenerateContentRequest(
            contents: [Content(role: "user", parts: parts + [.text(text)])],
            systemInstruction: prompt.system.map { Content(role: nil, parts: [.text($0)]) },
            generationConfig: config.isEmpty ? nil : config)
        return (request, thinking)
    }
}

extension Part {
    /// This part with its own `mediaResolution` when it is an image; text is left alone.
    func withMediaResolution(_ level: String) -> Part {
        switch self {
        case .text: return self
        case .inlineData(let mime, let data, _): return .inlineData(mimeType: mime, data: data, mediaResolution: level)
        case .fileData(let mime, let uri, _): return .fileData(mimeType: mime, uri: uri, mediaResolution: level)
        }
    }
}
