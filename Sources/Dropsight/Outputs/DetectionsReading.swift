import Prompts

/// What a `detect` or `segment` reply became: the sidecar's entries, the masks to draw and write, and notes.
struct DetectionsReading: Sendable {
    /// Set for `detect` prompts.
    var detections: [Detection]?
    /// Set for `segment` prompts.
    var segments: [PromptResult.SegmentEntry]?
    /// Decoded masks by index into `segments`, each the size of its segment's box.
    var masks: [Int: MaskBitmap] = [:]
    var notes: [String] = []

    /// Boxes in the order of the entries, for drawing.
    var boxes: [(label: String, box: PixelBox)] {
        if let segments { return segments.map { ($0.label, $0.box) } }
        return (detections ?? []).map { ($0.label, $0.box) }
    }
}
