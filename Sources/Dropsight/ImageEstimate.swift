import Foundation
import Imaging

/// What running prompts on an image would send and cost, worked out without any request (`dropsight estimate`).
///
/// Image tokens follow the tile rule (`ImageTokens`); text tokens are roughly 4 characters each.
/// The response's `usageMetadata` is the truth; this is for budgets and for choosing `resolution`.
public struct ImageEstimate: Sendable, Encodable {
    /// One image as sent (or as stored, for `original`).
    public struct Copy: Sendable, Encodable {
        public var width: Int
        public var height: Int
        public var bytes: Int
        public var mimeType: String
        public var tokens: Int

        enum CodingKeys: String, CodingKey { case width, height, bytes, mimeType = "mime_type", tokens }
    }

    /// One prompt's request.
    public struct PromptCost: Sendable, Encodable {
        public var prompt: String
        public var resolution: String
        /// The copy of this image that would be sent.
        public var sent: Copy
        /// References and the previous image sent along, if the prompt has any.
        public var otherImages: [Copy]
        /// Prompt text and system instruction, about 4 characters per token.
        public var textTokens: Int

        public var totalTokens: Int { sent.tokens + otherImages.reduce(0) { $0 + $1.tokens } + textTokens }
        public var totalBytes: Int { sent.bytes + otherImages.reduce(0) { $0 + $1.bytes } }

        enum CodingKeys: String, CodingKey {
            case prompt, resolution, sent, otherImages = "other_images", textTokens = "text_tokens", totalTokens = "total_tokens",
                 totalBytes = "total_bytes"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(prompt, forKey: .prompt)
            try c.encode(resolution, forKey: .resolution)
            try c.encode(sent, forKey: .sent)
            try c.encode(otherImages, forKey: .otherImages)
            try c.encode(textTokens, forKey: .textTokens)
            try c.encode(totalTokens, forKey: .totalTokens)
            try c.encode(totalBytes, forKey: .totalBytes)
        }
    }

    public var file: String
    /// The file as it is: upright size, its bytes, and the tokens it would cost sent whole.
    public var original: Copy
    public var prompts: [PromptCost]

    /// Prepares each prompt's copies (as the daemon would) and prices them.
    ///
    /// Blocking libvips work: call off Swift's cooperative pool. Throws `ImageSubject.Rejected` for
    /// files the daemon would refuse, or the `ImagingError` of a copy that cannot be made.
    public static func make(path: String, prompts: [PromptSettings], maxPixels: Int, promptNames: Set<String>) throws -> ImageEstimate {
        let subject = try ImageSubject(path: path, maxPixels: maxPixels)
        let info = subject.info
        let original = Copy(width: info.uprightWidth, height: info.uprightHeight, bytes: Int(subject.facts.bytes), mimeType: info.mimeType,
                            tokens: ImageTokens.estimate(width: info.uprightWidth, height: info.uprightHeight))
        var others: [String: ImageSubject] = [:]
        var costs: [PromptCost] = []
        for prompt in prompts {
            var paths = prompt.references
            if prompt.withPrevious, let previous = PreviousImage.find(before: path, promptNames: promptNames) { paths.append(previous) }
            var otherCopies: [Copy] = []
            for other in paths {
                let otherSubject = try others[other] ?? ImageSubject(path: other, maxPixels: maxPixels)
                others[other] = otherSubject
                otherCopies.append(Copy(try otherSubject.prepared(prompt.resolution)))
            }
            let textBytes = prompt.text.utf8.count + (prompt.system?.utf8.count ?? 0)
            costs.append(PromptCost(prompt: prompt.name, resolution: prompt.resolution.description,
                                    sent: Copy(try subject.prepared(prompt.resolution)), otherImages: otherCopies,
                                    textTokens: (textBytes + 3) / 4))
        }
        return ImageEstimate(file: subject.facts.file, original: original, prompts: costs)
    }
}

extension ImageEstimate.Copy {
    init(_ prepared: PreparedImage) {
        self.init(width: prepared.width, height: prepared.height, bytes: prepared.data.count, mimeType: prepared.mimeType,
                  tokens: prepared.estimatedTokens)
    }
}
