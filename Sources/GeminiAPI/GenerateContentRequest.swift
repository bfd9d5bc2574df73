import Foundation
import JSONModel

/// The body of `POST /v1beta/models/{model}:generateContent`, encoded in lowerCamelCase.
public struct GenerateContentRequest: Encodable, Sendable {
    public var contents: [Content]
    public var systemInstruction: Content?
    public var generationConfig: GenerationConfig?

    public init(contents: [Content], systemInstruction: Content? = nil, generationConfig: GenerationConfig? = nil) {
        self.contents = contents
        self.systemInstruction = systemInstruction
        self.generationConfig = generationConfig
    }
}

/// One turn of a conversation: a role and its parts.
public struct Content: Codable, Sendable, Equatable {
    public var role: String?
    public var parts: [Part]

    public init(role: String? = "user", parts: [Part]) {
        self.role = role
        self.parts = parts
    }
}

/// A part of a request: text, an inline image, or a file uploaded through the Files API.
///
/// An image part may carry its own `mediaResolution` (`MEDIA_RESOLUTION_*`, Gemini 3 in v1beta), sent
/// beside the data as `"mediaResolution": {"level": …}`; it overrides `generationConfig.mediaResolution`.
public enum Part: Codable, Sendable, Equatable {
    case text(String)
    /// Raw bytes; encoded as standard base64 with padding.
    case inlineData(mimeType: String, data: Data, mediaResolution: String? = nil)
    /// `uri` is the File resource's `uri`, not its `name`.
    case fileData(mimeType: String?, uri: String, mediaResolution: String? = nil)

    private enum Keys: String, CodingKey { case text, inlineData, fileData, mediaResolution }
    private enum BlobKeys: String, CodingKey { case mimeType, data }
    private enum FileKeys: String, CodingKey { case mimeType, fileUri }
    private enum ResolutionKeys: String, CodingKey { case level }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let t):
            try c.encode(t, forKey: .text)
        case .inlineData(let mime, let data, let resolution):
            var blob = c.nestedContainer(keyedBy: BlobKeys.self, forKey: .inlineData)
            try blob.encode(mime, forKey: .mimeType)
            if let collector = encoder.userInfo[InlineCollector.key] as? InlineCollector {
                try blob.encode(collector.record(data), forKey: .data)  // streamed as base64 by InlineBody
            } else {
                try blob.encode(data.base64EncodedString(), forKey: .data)
            }
            try Self.encode(resolution, into: &c)
        case .fileData(let mime, let uri, let resolution):
            var file = c.nestedContainer(keyedBy: FileKeys.self, forKey: .fileData)
            try file.encodeIfPresent(mime, forKey: .mimeType)
            try file.encode(uri, forKey: .fileUri)
            try Self.encode(resolution, into: &c)
        }
    }

    private static func encode(_ resolution: String?, into c: inout KeyedEncodingContainer<Keys>) throws {
        guard let resolution else { return }
        var level = c.nestedContainer(keyedBy: ResolutionKeys.self, forKey: .mediaResolution)
        try level.encode(resolution, forKey: .level)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let t = try c.decodeIfPresent(String.self, forKey: .text) {
            self = .text(t)
            return
        }
        let resolution =
            try c.contains(.mediaResolution)
            ? c.nestedContainer(keyedBy: ResolutionKeys.self, forKey: .mediaResolution).decodeIfPresent(String.self, forKey: .level)
            : nil
        if c.contains(.inlineData) {
            let blob = try c.nestedContainer(keyedBy: BlobKeys.self, forKey: .inlineData)
            let b64 = try blob.decode(String.self, forKey: .data)
            self = .inlineData(
                mimeType: try blob.decode(String.self, forKey: .mimeType), data: Data(base64Encoded: b64) ?? Data(),
                mediaResolution: resolution)
            return
        }
        let file = try c.nestedContainer(keyedBy: FileKeys.self, forKey: .fileData)
        self = .fileData(
            mimeType: try file.decodeIfPresent(String.self, forKey: .mimeType),
            uri: try file.decode(String.self, forKey: .fileUri), mediaResolution: resolution)
    }
}

/// `generationConfig`: only the fields dropsight sends. Nil fields are omitted from the JSON.
public struct GenerationConfig: Encodable, Sendable, Equatable {
    public var temperature: Double?
    public var maxOutputTokens: Int?
    /// `text/plain` (default), `application/json` or `text/x.enum`.
    public var responseMimeType: String?
    /// A JSON Schema; requires `responseMimeType = application/json`.
    public var responseJsonSchema: JSONValue?
    public var thinkingConfig: ThinkingConfig?
    /// `MEDIA_RESOLUTION_LOW`, `MEDIA_RESOLUTION_MEDIUM` or `MEDIA_RESOLUTION_HIGH`.
    public var mediaResolution: String?

    public init(
        temperature: Double? = nil, maxOutputTokens: Int? = nil, responseMimeType: String? = nil,
        responseJsonSchema: JSONValue? = nil, thinkingConfig: ThinkingConfig? = nil, mediaResolution: String? = nil
    ) {
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.responseMimeType = responseMimeType
        self.responseJsonSchema = responseJsonSchema
        self.thinkingConfig = thinkingConfig
        self.mediaResolution = mediaResolution
    }

    /// True when every field is nil, so the whole object can be left out.
    public var isEmpty: Bool { self == GenerationConfig() }
}

/// `thinkingConfig`: a budget (2.x: 0 disables thinking on Flash models, -1 lets the model decide) or a
/// level (3.x: `MINIMAL`, `LOW`, `MEDIUM`, `HIGH`), never both.
public struct ThinkingConfig: Encodable, Sendable, Equatable {
    public var thinkingBudget: Int?
    public var thinkingLevel: String?
    public var includeThoughts: Bool?

    public init(thinkingBudget: Int? = nil, thinkingLevel: String? = nil, includeThoughts: Bool? = nil) {
        self.thinkingBudget = thinkingBudget
        self.thinkingLevel = thinkingLevel
        self.includeThoughts = includeThoughts
    }
}
