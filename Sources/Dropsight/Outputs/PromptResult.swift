import Foundation
import GeminiAPI
import JSONModel
import Prompts

/// One prompt's outcome in the sidecar.
public struct PromptResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case ok, error }

    public var status: Status
    public var kind: String
    /// Hash of the prompt's definition (text, model, options) it ran with; a change makes the result stale.
    public var promptHash: String
    public var model: String
    /// `modelVersion` as the service reported it.
    public var modelVersion: String?
    /// The answer text (thought parts excluded).
    public var text: String?
    /// The parsed reply for `json` prompts.
    public var json: JSONValue?
    /// `detect` prompts: every usable box, in reply order (duplicates kept).
    public var detections: [Detection]?
    /// `segment` prompts: every usable item with what became of its mask.
    public var segments: [SegmentEntry]?
    /// `keywords` prompts: the keywords kept, hierarchical ones as `Parent|Child`.
    public var keywords: [String]?
    /// File name of the overlay PNG beside the image, when one was written.
    public var overlay: String?
    /// File names of per-segment mask PNGs, when `write_masks` is on.
    public var masks: [String]?
    public var finishReason: String?
    public var usage: Usage?
    /// What was sent for the image.
    public var sent: SentImage?
    /// The thinking control sent (`{"level": "low"}` or `{"budget": 0}`), nil when none was sent.
    public var thinking: SentThinking?
    /// `batch` when the answer came through the Batch API; nil for an interactive request.
    public var transport: String?
    /// `batches/{id}`: the batch that answered, when ``transport`` is `batch`.
    public var batch: String?
    /// Remarks about the reply (items dropped, masks not decodable, reply cut off).
    public var notes: [String]?
    /// Overlay or mask files the disk refused (full, read-only): the sidecar waits for them and they are
    /// drawn again from the stored reply until written. Kept in the Store, never in a published sidecar.
    public var pendingOutputs: [String]?
    public var completedAt: String
    public var error: ErrorInfo?

    public init(status: Status, kind: String, promptHash: String, model: String, completedAt: Date) {
        self.status = status
        self.kind = kind
        self.promptHash = promptHash
        self.model = model
        self.completedAt = Self.timestamp(completedAt)
    }

    enum CodingKeys: String, CodingKey {
        case status, kind
        case promptHash = "prompt_hash"
        case model
        case modelVersion = "model_version"
        case text, json, detections, segments, keywords,
            overlay, masks
        case finishReason = "finish_reason"
        case usage, sent, thinking, transport, batch, notes
        case pendingOutputs = "pending_outputs"
        case
            completedAt = "completed_at"
        case error
    }

    /// An `error` result for `prompt`, as the sidecar shows a failure.
    static func failure(
        _ message: String, code: String, prompt: PromptSettings, defaultModel: String, at date: Date = Date()
    ) -> PromptResult {
        var r = PromptResult(
            status: .ok, kind: prompt.kind.rawValue, promptHash: prompt.definitionHash(defaultModel: defaultModel),
            model: prompt.effectiveModel(default: defaultModel), completedAt: date)
        r.fail(message, code: code, at: date)
        return r
    }

    /// Turns this result into an `error` with `message` and `code`, keeping what was sent and used.
    mutating func fail(_ message: String, code: String, at date: Date) {
        status = .error
        error = .init(message: message, code: code)
        completedAt = Self.timestamp(date)
    }

    /// This result as a sidecar shows it: without the Store's bookkeeping of pending outputs.
    var published: PromptResult {
        var copy = self
        copy.pendingOutputs = nil
        return copy
    }

    /// The note every reply cut off at the output token limit gets, first among its notes.
    var finishNotes: [String] {
        finishReason == "MAX_TOKENS"
            ? ["the reply was cut off at the output token limit (finishReason MAX_TOKENS); raise max_output_tokens for the rest"]
            : []
    }

    /// RFC 3339 UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    public struct Usage: Codable, Sendable, Equatable {
        public var promptTokens: Int
        public var outputTokens: Int
        public var thoughtsTokens: Int
        public var totalTokens: Int
        /// The prompt's `IMAGE` tokens as the service itemised them (`promptTokensDetails`), when it did.
        public var imageTokens: Int?

        public init(_ m: UsageMetadata) {
            promptTokens = m.promptTokenCount ?? 0
            outputTokens = m.candidatesTokenCount ?? 0
            thoughtsTokens = m.thoughtsTokenCount ?? 0
            totalTokens = m.totalTokenCount ?? (promptTokens + outputTokens + thoughtsTokens)
            imageTokens = m.imageTokenCount
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case outputTokens = "output_tokens"
            case thoughtsTokens = "thoughts_tokens"
            case totalTokens = "total_tokens"
            case
                imageTokens = "image_tokens"
        }
    }

    public struct SentImage: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var bytes: Int
        public var mimeType: String
        public var estimatedTokens: Int
        /// `inline` or `file` (Files API).
        public var transport: String
        /// The `media_resolution` asked for, when one was.
        public var mediaResolution: String?

        public init(
            width: Int, height: Int, bytes: Int, mimeType: String, estimatedTokens: Int, transport: String,
            mediaResolution: String? = nil
        ) {
            self.width = width
            self.height = height
            self.bytes = bytes
            self.mimeType = mimeType
            self.estimatedTokens = estimatedTokens
            self.transport = transport
            self.mediaResolution = mediaResolution
        }

        enum CodingKeys: String, CodingKey {
            case width, height, bytes
            case mimeType = "mime_type"
            case estimatedTokens = "estimated_tokens"
            case transport
            case
                mediaResolution = "media_resolution"
        }
    }

    /// One segmented object: its box and label like a detection, and its mask's fate.
    public struct SegmentEntry: Codable, Sendable, Equatable {
        public var label: String
        /// `[ymin, xmin, ymax, xmax]` on the 0-1000 grid as the model returned it.
        public var box2d: [Double]
        /// Pixels of the upright original, clamped to it.
        public var box: PixelBox
        /// `png`, `tokens`, `polygon` or `none`: the form the mask came back in.
        public var maskForm: MaskForm
        /// The mask was turned into pixels.
        public var maskDecoded: Bool
        /// Pixels inside the decoded mask.
        public var area: Int?
        /// File name of this segment's mask PNG (the size of `box`), when `write_masks` is on.
        public var maskFile: String?
        /// Why the mask is missing or was not decoded, or what was assumed.
        public var note: String?

        public init(_ segment: Segment, maskFile: String? = nil) {
            label = segment.detection.label
            box2d = segment.detection.box2d
            box = segment.detection.box
            maskForm = segment.maskForm
            maskDecoded = segment.maskDecoded
            area = segment.area
            self.maskFile = maskFile
            note = segment.note
        }

        enum CodingKeys: String, CodingKey {
            case label
            case box2d = "box_2d"
            case box
            case maskForm = "mask_form"
            case maskDecoded = "mask_decoded"
            case area
            case
                maskFile = "mask_file"
            case note
        }
    }

    public struct ErrorInfo: Codable, Sendable, Equatable {
        public var message: String
        /// Stable tag: an HTTP status and rpc status (`429 RESOURCE_EXHAUSTED`), or an image problem (`notAnImage`, `truncated`, `too_large`, `not_a_regular_file`), `blocked`, …
        public var code: String
        public init(message: String, code: String) {
            self.message = message
            self.code = code
        }
    }
}
