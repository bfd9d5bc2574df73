import Foundation
import JSONModel

/// Turns a segmentation reply into segments with binary masks, in all three mask forms models return.
///
/// Each item needs a box (`box_2d`), except a polygon item, whose box is then the polygon's bounds.
/// A mask that cannot be decoded keeps its box and label; the segment's note says why.
public enum SegmentationParser {
    /// - Parameters:
    ///   - threshold: probability (0-255) from which a PNG mask pixel is inside. Default 127.
    ///   - pointOrder: the order of the numbers in a polygon point. Default `[y, x]`, like `box_2d`;
    ///     `.auto` picks, per item, the order that fits the item's box.
    ///   - decodePNG: decodes PNG bytes to 8-bit grayscale (the daemon passes libvips' decoder).
    public static func parse(
        text: String, imageWidth: Int, imageHeight: Int, threshold: UInt8 = 127,
        pointOrder: PointOrder = .yx, limits: SpatialLimits = SpatialLimits(),
        decodePNG: (Data) throws -> (width: Int, height: Int, gray: [UInt8])
    ) -> SegmentParse {
        var notes = ReplyNotes(maxItemNotes: limits.maxItemNotes)
        guard imageWidth > 0, imageHeight > 0 else {
            notes.add("image size \(imageWidth)x\(imageHeight) is not usable; no segments read")
            return SegmentParse(segments: [], masks: [:], notes: notes.all)
        }
        var reader = MaskReader(
            imageWidth: imageWidth, imageHeight: imageHeight, threshold: threshold,
            limits: limits, pixelBudget: limits.maxTotalMaskPixels, crossingBudget: limits.maxPolygonCrossings)
        var segments: [Segment] = []
        var masks: [Int: MaskBitmap] = [:]
        for (offset, item) in SpatialItems.read(text: text, limits: limits, notes: &notes).enumerated() {
            let context = ItemContext(
                index: offset + 1, imageWidth: imageWidth, imageHeight: imageHeight,
                pointOrder: pointOrder, limits: limits)
            guard
                let (segment, bitmap) = segment(
                    from: item, context, reader: &reader, notes: &notes, decodePNG: decodePNG)
            else { continue }
            if let bitmap { masks[segments.count] = bitmap }
            segments.append(segment)
        }
        summarise(segments, into: &notes)
        return SegmentParse(segments: segments, masks: masks, notes: notes.all)
    }

    /// What every item of one reply is read against.
    private struct ItemContext {
        /// 1-based, as notes name items.
        var index: Int
        var imageWidth: Int
        var imageHeight: Int
        var pointOrder: PointOrder
        var limits: SpatialLimits
    }

    /// One item as a segment with its decoded mask, or nil (with a note) when it has no usable box.
    private static func segment(
        from item: JSONValue, _ context: ItemContext, reader: inout MaskReader,
        notes: inout ReplyNotes, decodePNG: PNGMask.Decoder
    ) -> (Segment, MaskBitmap?)? {
        guard case .object = item else {
            notes.add(item: context.index, "is \(item.kindWithArticle), not an object; skipped")
            return nil
        }
        let maskValue = SpatialItems.maskKeys.lazy.compactMap { item[$0] }.first
        var boxed: Detection?
        if DetectionReader.boxValue(in: item) != nil {
            guard
                let detection = DetectionParser.detection(
                    item: item, index: context.index, imageWidth: context.imageWidth,
                    imageHeight: context.imageHeight, limits: context.limits, notes: &notes)
            else { return nil }
            boxed = detection
        }
        var rings: Result<[[PolygonReader.GridPoint]], MaskProblem>?
        var orderNote: String?
        if case .array? = maskValue, let maskValue {
            let read = PolygonReader.rings(
                from: maskValue, order: context.pointOrder, fitting: boxed.map(clampedGrid),
                maxPoints: context.limits.maxPolygonPoints)
            rings = read.rings
            if context.pointOrder == .auto, read.readAs == .xy { orderNote = "polygon points read as [x, y]" }
        }
        guard
            let (detection, boxNote) = boxed.map({ ($0, nil) })
                ?? detectionFromPolygon(item: item, context, rings: rings, notes: &notes)
        else { return nil }
        let outcome = reader.read(maskValue, rings: rings, box: detection.box, decodePNG: decodePNG)
        let note = [boxNote, orderNote, outcome.note].compactMap { $0 }.joined(separator: "; ")
        let segment = Segment(
            detection: detection, maskForm: outcome.form, maskDecoded: outcome.bitmap != nil,
            area: outcome.bitmap?.area, note: note.isEmpty ? nil : note)
        return (segment, outcome.bitmap)
    }

    /// The returned box clamped to the grid.
    private static func clampedGrid(_ detection: Detection) -> GridBox {
        let clamped = detection.box2d.map { min(max($0, 0), 1000) }
        return GridBox(ymin: clamped[0], xmin: clamped[1], ymax: clamped[2], xmax: clamped[3])
    }

    /// For an item without a box: a detection from its polygon's bounds, or nil with a note.
    private static func detectionFromPolygon(
        item: JSONValue, _ context: ItemContext, rings: Result<[[PolygonReader.GridPoint]], MaskProblem>?,
        notes: inout ReplyNotes
    ) -> (Detection, note: String?)? {
        guard case .success(let polygon)? = rings else {
            notes.add(item: context.index, "has no box_2d; skipped")
            return nil
        }
        let grid = PolygonReader.bounds(of: polygon)
        guard grid.ymin < grid.ymax, grid.xmin < grid.xmax else {
            notes.add(item: context.index, "has no box_2d and its polygon encloses no area; skipped")
            return nil
        }
        let detection = Detection(
            label: DetectionReader.label(in: item, index: context.index, limits: context.limits, notes: &notes),
            box2d: [grid.ymin, grid.xmin, grid.ymax, grid.xmax],
            box: PixelBox.fromGrid(grid, imageWidth: context.imageWidth, imageHeight: context.imageHeight))
        return (detection, "no box_2d; box taken from the polygon's bounds")
    }

    private static func summarise(_ segments: [Segment], into notes: inout ReplyNotes) {
        let tokens = segments.filter { $0.maskForm == .tokens }.count
        if tokens > 0 {
            notes.add("\(tokens) masks came back as segmentation tokens, which cannot be decoded; boxes and labels kept")
        }
        let failed = segments.filter { ($0.maskForm == .png || $0.maskForm == .polygon) && !$0.maskDecoded }.count
        if failed > 0 {
            notes.add("\(failed) masks could not be decoded; each segment's note says why")
        }
    }
}
