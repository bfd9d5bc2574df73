import Foundation

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
            limits: limits, pixelBudget: limits.maxTotalMaskPixels)
        var segments: [Segment] = []
        var masks: [Int: MaskBitmap] = [:]
        for (offset, item) in SpatialItems.read(text: text, limits: limits, notes: &notes).enumerated() {
            let index = offset + 1
            guard case .object = item else {
                notes.add(item: index, "is a \(item.kindName), not an object; skipped")
                continue
            }
            let maskValue = SpatialItems.maskKeys.lazy.compactMap { item[$0] }.first
            var boxed: Detection?
            if DetectionReader.boxValue(in: item) != nil {
                guard let detection = DetectionParser.detection(
                    item: item, index: index, imageWidth: imageWidth, imageHeight: imageHeight,
                    limits: limits, notes: &notes) else { continue }
                boxed = detection
            }
            var rings: Result<[[PolygonReader.GridPoint]], MaskProblem>?
            var orderNote: String?
            if case .array? = maskValue, let maskValue {
                let read = PolygonReader.rings(
                    from: maskValue, order: pointOrder, fitting: boxed.map(Self.clampedGrid),
                    maxPoints: limits.maxPolygonPoints)
                rings = read.rings
                if pointOrder == .auto, read.readAs == .xy { orderNote = "polygon points read as [x, y]" }
            }
            guard let (detection, boxNote) = boxed.map({ ($0, nil) }) ?? detectionFromPolygon(
                item: item, index: index, rings: rings, imageWidth: imageWidth, imageHeight: imageHeight,
                limits: limits, notes: &notes) else { continue }
            let outcome = reader.read(maskValue, rings: rings, box: detection.box, decodePNG: decodePNG)
            if let bitmap = outcome.bitmap { masks[segments.count] = bitmap }
            let note = [boxNote, orderNote, outcome.note].compactMap { $0 }.joined(separator: "; ")
            segments.append(Segment(
                detection: detection, maskForm: outcome.form, maskDecoded: outcome.bitmap != nil,
                area: outcome.bitmap?.area, note: note.isEmpty ? nil : note))
        }
        summarise(segments, into: &notes)
        return SegmentParse(segments: segments, masks: masks, notes: notes.all)
    }

    /// The returned box clamped to the grid.
    private static func clampedGrid(_ detection: Detection) -> GridBox {
        let clamped = detection.box2d.map { min(max($0, 0), 1000) }
        return GridBox(ymin: clamped[0], xmin: clamped[1], ymax: clamped[2], xmax: clamped[3])
    }

    /// For an item without a box: a detection from its polygon's bounds, or nil with a note.
    private static func detectionFromPolygon(
        item: JSONValue, index: Int, rings: Result<[[PolygonReader.GridPoint]], MaskProblem>?,
        imageWidth: Int, imageHeight: Int, limits: SpatialLimits, notes: inout ReplyNotes
    ) -> (Detection, note: String?)? {
        guard case .success(let polygon)? = rings else {
            notes.add(item: index, "has no box_2d; skipped")
            return nil
        }
        let grid = PolygonReader.bounds(of: polygon)
        guard grid.ymin < grid.ymax, grid.xmin < grid.xmax else {
            notes.add(item: index, "has no box_2d and its polygon encloses no area; skipped")
            return nil
        }
        let detection = Detection(
            label: DetectionReader.label(in: item, index: index, limits: limits, notes: &notes),
            box2d: [grid.ymin, grid.xmin, grid.ymax, grid.xmax],
            box: PixelBox.fromGrid(grid, imageWidth: imageWidth, imageHeight: imageHeight))
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

/// Decodes one item's mask in whichever form it came, within a pixel budget for the whole reply.
private struct MaskReader {
    struct Outcome {
        var form: MaskForm
        var bitmap: MaskBitmap?
        var note: String?
    }

    let imageWidth: Int
    let imageHeight: Int
    let threshold: UInt8
    let limits: SpatialLimits
    /// Mask pixels still allowed for this reply.
    var pixelBudget: Int

    mutating func read(
        _ value: JSONValue?, rings: Result<[[PolygonReader.GridPoint]], MaskProblem>?, box: PixelBox,
        decodePNG: PNGMask.Decoder
    ) -> Outcome {
        switch value {
        case nil, .null?:
            return Outcome(form: .none, note: "no mask in the reply item")
        case .string(let mask)?:
            if mask.hasPrefix("<start_of_mask>") || mask.contains("<seg_") {
                return Outcome(form: .tokens, note: "mask not decodable (segmentation tokens)")
            }
            guard PNGMask.isImage(mask) else {
                return Outcome(form: .none, note: "mask is text in no known form")
            }
            guard let problem = budgetProblem(box) else {
                return outcome(.png, PNGMask.decode(
                    mask, width: box.width, height: box.height, threshold: threshold,
                    limits: limits, decoder: decodePNG))
            }
            return Outcome(form: .png, note: problem)
        case .array?:
            if let problem = budgetProblem(box) {
                return Outcome(form: .polygon, note: problem)
            }
            return outcome(.polygon, (rings ?? .failure(MaskProblem("polygon is empty"))).map { polygon in
                PolygonRasterizer.fill(rings: polygon.map { $0.map { pixelPoint($0, box: box) } },
                                       width: box.width, height: box.height)
            })
        case let other?:
            return Outcome(form: .none, note: "mask is a \(other.kindName), not a PNG, tokens or a polygon")
        }
    }

    private mutating func outcome(_ form: MaskForm, _ result: Result<MaskBitmap, MaskProblem>) -> Outcome {
        switch result {
        case .success(let bitmap):
            pixelBudget -= bitmap.pixels.count
            return Outcome(form: form, bitmap: bitmap)
        case .failure(let problem):
            return Outcome(form: form, note: problem.message)
        }
    }

    private func budgetProblem(_ box: PixelBox) -> String? {
        guard box.width * box.height > pixelBudget else { return nil }
        return "mask skipped: this reply's masks exceed \(limits.maxTotalMaskPixels) pixels in total"
    }

    /// A grid point in pixels relative to the box's top-left corner.
    private func pixelPoint(_ point: PolygonReader.GridPoint, box: PixelBox) -> PolygonRasterizer.Point {
        PolygonRasterizer.Point(
            x: point.x * Double(imageWidth) / 1000 - Double(box.x),
            y: point.y * Double(imageHeight) / 1000 - Double(box.y))
    }
}
