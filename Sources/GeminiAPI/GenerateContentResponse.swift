import Foundation

/// A `generateContent` answer as the service really sends it: every field may be missing,
/// unknown keys (`turnToken`, …) are ignored.
public struct GenerateContentResponse: Decodable, Sendable, Equatable {
    public var candidates: [Candidate]?
    public var promptFeedback: PromptFeedback?
    public var usageMetadata: UsageMetadata?
    public var modelVersion: String?
    public var responseId: String?

    /// The first candidate's answer text: the `text` of every part that is not a thought, joined.
    /// Nil when there is no candidate or no answer part (blocked prompt, or thinking ate `maxOutputTokens`).
    public var text: String? {
        guard let parts = candidates?.first?.content?.parts else { return nil }
        let answer = parts.filter { $0.thought != true }.compactMap(\.text)
        return answer.isEmpty ? nil : answer.joined()
    }

    /// The first candidate's `finishReason`, if any.
    public var finishReason: String? { candidates?.first?.finishReason }

    /// `promptFeedback.blockReason` when the prompt itself was blocked (then there are no candidates).
    public var blockReason: String? { promptFeedback?.blockReason }
}

public struct Candidate: Decodable, Sendable, Equatable {
    public var content: ResponseContent?
    public var finishReason: String?
    public var finishMessage: String?
    public var index: Int?
    public var safetyRatings: [SafetyRating]?
}

public struct ResponseContent: Decodable, Sendable, Equatable {
    public var role: String?
    public var parts: [ResponsePart]?
}

/// A part of an answer. Only what dropsight reads is decoded; function calls and other kinds stay nil.
public struct ResponsePart: Decodable, Sendable, Equatable {
    public var text: String?
    /// True for a thought summary, which is not answer text.
    public var thought: Bool?
    public var thoughtSignature: String?
}

public struct PromptFeedback: Decodable, Sendable, Equatable {
    public var blockReason: String?
    public var safetyRatings: [SafetyRating]?
}

public struct SafetyRating: Decodable, Sendable, Equatable {
    public var category: String?
    public var probability: String?
    public var blocked: Bool?
}

/// Token counts; zero counts are omitted on the wire and decode as nil.
public struct UsageMetadata: Decodable, Sendable, Equatable {
    public var promptTokenCount: Int?
    public var cachedContentTokenCount: Int?
    public var candidatesTokenCount: Int?
    public var thoughtsTokenCount: Int?
    public var toolUsePromptTokenCount: Int?
    public var totalTokenCount: Int?
    /// Prompt tokens by modality (`TEXT`, `IMAGE`, …), in the order the service sent them.
    public var promptTokensDetails: [ModalityTokenCount]?

    /// Prompt tokens of the `IMAGE` modality, when the service itemised them.
    public var imageTokenCount: Int? {
        promptTokensDetails?.filter { $0.modality == "IMAGE" }.reduce(nil) { ($0 ?? 0) + ($1.tokenCount ?? 0) }
    }

    public init(promptTokenCount: Int? = nil, candidatesTokenCount: Int? = nil, thoughtsTokenCount: Int? = nil, totalTokenCount: Int? = nil)
    {
        self.promptTokenCount = promptTokenCount
        self.candidatesTokenCount = candidatesTokenCount
        self.thoughtsTokenCount = thoughtsTokenCount
        self.totalTokenCount = totalTokenCount
    }

    private enum Keys: String, CodingKey {
        case promptTokenCount, cachedContentTokenCount, candidatesTokenCount, thoughtsTokenCount, toolUsePromptTokenCount, totalTokenCount
        case promptTokensDetails
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        promptTokenCount = try c.flexibleInt(.promptTokenCount)
        cachedContentTokenCount = try c.flexibleInt(.cachedContentTokenCount)
        candidatesTokenCount = try c.flexibleInt(.candidatesTokenCount)
        thoughtsTokenCount = try c.flexibleInt(.thoughtsTokenCount)
        toolUsePromptTokenCount = try c.flexibleInt(.toolUsePromptTokenCount)
        totalTokenCount = try c.flexibleInt(.totalTokenCount)
        promptTokensDetails = try? c.decodeIfPresent([ModalityTokenCount].self, forKey: .promptTokensDetails)
    }
}

/// One entry of `promptTokensDetails`: `{"modality": "IMAGE", "tokenCount": 1120}`.
public struct ModalityTokenCount: Decodable, Sendable, Equatable {
    public var modality: String?
    public var tokenCount: Int?

    public init(modality: String?, tokenCount: Int?) {
        self.modality = modality
        self.tokenCount = tokenCount
    }

    private enum Keys: String, CodingKey { case modality, tokenCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        modality = try? c.decodeIfPresent(String.self, forKey: .modality)
        tokenCount = try c.flexibleInt(.tokenCount)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an integer sent either as a JSON number or, as proto3 does for int64, as a string.
    func flexibleInt(_ key: Key) throws -> Int? {
        if let n = try? decodeIfPresent(Int.self, forKey: key) { return n }
        if let s = try? decodeIfPresent(String.self, forKey: key) { return Int(s) }
        return nil
    }
}
