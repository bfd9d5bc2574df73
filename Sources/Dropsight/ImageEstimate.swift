import Foundation
import Imaging

/// What running prompts on an image would send and cost, worked out without any request (`dropsight estimate`).
///
/// Image tokens follow the model's profile (``ModelProfile/imageTokens(width:height:resolution:)``), or the
/// counts the API reported to the daemon (``ObservedImageTokens``); text tokens are roughly 4 characters each.
/// The response's `usageMetadata` is the truth; this is for budgets and for choosing `resolution`.
public struct ImageEstimate: Sendable, Encodable {
    /// One image as sent (or as stored, for `original`).
    public struct Copy: Sendable, Encodable {
        public var width: Int
        public var height: Int
        public var bytes: Int
        public var mimeType: String
        public var tokens: Int

        enum CodingKeys: String, CodingKey {
            case width, height, bytes
            case mimeType = "mime_type"
            case tokens
        }
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
            case prompt, resolution, sent
            case otherImages = "other_images"
            case textTokens = "text_tokens"
            case totalTokens = "total_tokens"
            case
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
    public static func make(
        path: String, prompts: [PromptSettings], defaultModel: String, caps: AutoSideCaps = AutoSideCaps(),
        observed: ObservedImageTokens = ObservedImageTokens(), maxPixels: Int, promptNames: Set<String>
    ) throws -> ImageEstimate {
        let subject = try ImageSubject(path: path, maxPixels: maxPixels)
        let info = subject.info
        let defaultProfile = ModelCatalog.profile(for: defaultModel)
        let original = Copy(
            width: info.uprightWidth, height: info.uprightHeight, bytes: Int(subject.facts.bytes), mimeType: info.mimeType,
            tokens: observed.imageTokens(
                profile: defaultProfile, width: info.uprightWidth, height: info.uprightHeight, resolution: nil))
        var others: [String: ImageSubject] = [:]
        var costs: [PromptCost] = []
        for prompt in prompts {
            let profile = ModelCatalog.profile(for: prompt.effectiveModel(default: defaultModel))
            let resolution = profile.sendResolution(for: prompt, caps: caps)
            var paths = prompt.references
            if prompt.withPrevious, let previous = PreviousImage.find(before: path, promptNames: promptNames) { paths.append(previous) }
            var otherCopies: [Copy] = []
            for other in paths {
                let otherSubject = try others[other] ?? ImageSubject(path: other, maxPixels: maxPixels)
                others[other] = otherSubject
                otherCopies.append(Copy(try otherSubject.prepared(resolution), tokens: observed, profile, prompt))
            }
            let textBytes = prompt.text.utf8.count + (prompt.system?.utf8.count ?? 0)
            costs.append(
                PromptCost(
                    prompt: prompt.name, resolution: resolution.description,
                    sent: Copy(try subject.prepared(resolution), tokens: observed, profile, prompt), otherImages: otherCopies,
                    textTokens: (textBytes + 3) / 4))
        }
        return ImageEstimate(file: subject.facts.file, original: original, prompts: costs)
    }
}

extension ImageEstimate.Copy {
    init(_ prepared: PreparedImage, tokens observed: ObservedImageTokens, _ profile: ModelProfile, _ prompt: PromptSettings) {
        self.init(
            width: prepared.width, height: prepared.height, bytes: prepared.data.count, mimeType: prepared.mimeType,
            tokens: observed.tokens(of: prepared, profile: profile, for: prompt))
    }
}
