/// The form an item's mask came back in.
public enum MaskForm: String, Sendable, Codable {
    /// A base64 PNG probability map covering the box (Gemini 2.5 as documented).
    case png
    /// Opaque `<start_of_mask><seg_N>...` codebook tokens: not decodable without the model.
    case tokens
    /// A polygon of points on the 0-1000 grid.
    case polygon
    /// No mask, or one in no known form.
    case none
}

/// One segmented object: its detection and what became of its mask.
public struct Segment: Sendable, Codable, Equatable {
    public var detection: Detection
    public var maskForm: MaskForm
    /// The mask was turned into pixels (it is in `SegmentParse.masks`).
    public var maskDecoded: Bool
    /// Pixels inside the decoded mask.
    public var area: Int?
    /// Why the mask is missing or was not decoded, or what was assumed.
    public var note: String?

    public init(detection: Detection, maskForm: MaskForm, maskDecoded: Bool, area: Int?, note: String?) {
        self.detection = detection
        self.maskForm = maskForm
        self.maskDecoded = maskDecoded
        self.area = area
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case detection
        case maskForm = "mask_form"
        case maskDecoded = "mask_decoded"
        case area
        case note
    }
}

/// Segments read from a reply, their decoded masks, and notes on the reply as a whole.
public struct SegmentParse: Sendable, Equatable {
    public var segments: [Segment]
    /// Decoded masks by index into `segments`; each is the size of its segment's pixel box.
    public var masks: [Int: MaskBitmap]
    public var notes: [String]

    public init(segments: [Segment], masks: [Int: MaskBitmap], notes: [String]) {
        self.segments = segments
        self.masks = masks
        self.notes = notes
    }
}
