import Foundation
import Prompts

/// Reads spatial replies against the upright original's size (the sidecar's `image.width`/`height`).
///
/// Blocking work (segment masks decode with libvips): call off Swift's cooperative pool.
enum DetectionsReader {
    static func detections(text: String, imageWidth: Int, imageHeight: Int) -> DetectionsReading {
        let parse = DetectionParser.parse(text: text, imageWidth: imageWidth, imageHeight: imageHeight)
        return DetectionsReading(detections: parse.detections, notes: parse.notes)
    }

    /// - Parameter threshold: `mask_threshold`, 0-255: a probability from which a mask pixel is inside.
    /// - Parameter pointOrder: how polygon points are written (`[y, x]` like `box_2d` on 2.5, `[x, y]` on 3.x).
    static func segments(text: String, imageWidth: Int, imageHeight: Int, threshold: Int, pointOrder: PointOrder = .yx) -> DetectionsReading
    {
        let parse = SegmentationParser.parse(
            text: text, imageWidth: imageWidth, imageHeight: imageHeight, threshold: UInt8(clamping: threshold), pointOrder: pointOrder,
            decodePNG: MaskPNGDecoder.libvips)
        return DetectionsReading(
            segments: parse.segments.map { PromptResult.SegmentEntry($0) }, masks: parse.masks,
            notes: parse.notes)
    }
}
