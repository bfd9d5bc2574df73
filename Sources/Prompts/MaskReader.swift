import Foundation
import JSONModel

/// Decodes one item's mask in whichever form it came, within a pixel budget for the whole reply.
struct MaskReader {
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
    /// Polygon row crossings still allowed for this reply (``SpatialLimits/maxPolygonCrossings``).
    var crossingBudget: Int

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
                return outcome(
                    .png,
                    PNGMask.decode(
                        mask, width: box.width, height: box.height, threshold: threshold,
                        limits: limits, decoder: decodePNG))
            }
            return Outcome(form: .png, note: problem)
        case .array?:
            if let problem = budgetProblem(box) {
                return Outcome(form: .polygon, note: problem)
            }
            return outcome(
                .polygon,
                (rings ?? .failure(MaskProblem("polygon is empty"))).flatMap { polygon in
                    let points = polygon.map { $0.map { pixelPoint($0, box: box) } }
                    let crossings = PolygonRasterizer.crossingCount(rings: points, height: box.height)
                    guard crossings <= crossingBudget else {
                        return .failure(
                            MaskProblem(
                                "polygon not drawn: this reply's polygons cross more than \(limits.maxPolygonCrossings) pixel rows in total"
                            ))
                    }
                    crossingBudget -= crossings
                    return .success(PolygonRasterizer.fill(rings: points, width: box.width, height: box.height))
                })
        case let other?:
            return Outcome(form: .none, note: "mask is \(other.kindWithArticle), not a PNG, tokens or a polygon")
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
