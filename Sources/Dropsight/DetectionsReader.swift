import Foundation
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

/// Reads spatial replies against the upright original's size (the sidecar's `image.width`/`height`).
///
/// Blocking work (segment masks decode with libvips): call off Swift's cooperative pool.
enum DetectionsReader {
    static func detections(text: String, imageWidth: Int, imageHeight: Int) -> DetectionsReading {
        let parse = DetectionParser.parse(text: text, imageWidth: imageWidth, imageHeight: imageHeight)
        return DetectionsReading(detections: parse.detections, notes: parse.notes)
    }

    /// - Parameter threshold: `mask_threshold`, 0-255: a probability from which a mask pixel is inside.
    static func segments(text: String, imageWidth: Int, imageHeight: Int, threshold: Int) -> DetectionsReading {
        let parse = SegmentationParser.parse(
            text: text, imageWidth: imageWidth, imageHeight: imageHeight, threshold: UInt8(clamping: threshold),
            decodePNG: MaskPNGDecoder.libvips)
        return DetectionsReading(segments: parse.segments.map { PromptResult.SegmentEntry($0) }, masks: parse.masks,
                                 notes: parse.notes)
    }
}
