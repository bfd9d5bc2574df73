import Foundation
import Imaging

/// Turns an object's region into a segmentation mask in one of the three forms seen from real models.
struct MaskEncoder: Sendable {
    static let maskSide = 256

    func mask(for object: SceneObject, in scene: SceneAnalysis, form: EmulatorConfiguration.MaskForm) throws -> WireJSON {
        switch form {
        case .png:
            let png = try ImageCodec.encodePNG(probabilityMap(for: object, in: scene))
            return .string("data:image/png;base64," + png.base64EncodedString())
        case .tokens:
            return .string(tokens(for: object, in: scene))
        case .polygon:
            return .array(polygon(for: object, in: scene).map { .array([.int(Int64($0.0)), .int(Int64($0.1))]) })
        }
    }

    /// A 256x256 single-band map over the object's box: 255 inside the region, 0 outside.
    func probabilityMap(for object: SceneObject, in scene: SceneAnalysis) -> PixelImage {
        let side = Self.maskSide
        let boxWidth = object.maxX - object.minX + 1
        let boxHeight = object.maxY - object.minY + 1
        var pixels = [UInt8](repeating: 0, count: side * side)
        for v in 0..<side {
            let y = object.minY + (2 * v + 1) * boxHeight / (2 * side)
            for u in 0..<side {
                let x = object.minX + (2 * u + 1) * boxWidth / (2 * side)
                if scene.contains(object, x: x, y: y) { pixels[v * side + u] = 255 }
            }
        }
        return PixelImage(width: side, height: side, bands: 1, pixels: pixels)
    }

    /// `<start_of_mask>` and sixteen `<seg_N>` codebook tokens; opaque, like the real ones,
    /// but derived from the mask's 4x4 block coverage so different shapes differ.
    func tokens(for object: SceneObject, in scene: SceneAnalysis) -> String {
        let map = probabilityMap(for: object, in: scene)
        let block = Self.maskSide / 4
        var text = "<start_of_mask>"
        for by in 0..<4 {
            for bx in 0..<4 {
                var filled = 0
                for y in stride(from: by * block, to: (by + 1) * block, by: 4) {
                    for x in stride(from: bx * block, to: (bx + 1) * block, by: 4) where map.pixels[y * Self.maskSide + x] > 127 {
                        filled += 1
                    }
                }
                text += "<seg_\(filled * 127 / ((block / 4) * (block / 4)))>"
            }
        }
        return text
    }

    /// The convex hull of the region as `[y, x]` points on the 0-1000 grid, in hull order.
    func polygon(for object: SceneObject, in scene: SceneAnalysis) -> [(Int, Int)] {
        var points: [(Int, Int)] = []
        let step = scene.stride
        for gy in (object.minY / step)...(object.maxY / step) {
            var left: Int?
            var right: Int?
            for gx in (object.minX / step)...(object.maxX / step)
            where scene.regionGrid[gy * scene.gridWidth + gx] == object.region {
                if left == nil { left = gx }
                right = gx
            }
            guard let left, let right else { continue }
            let top = gy * step
            let bottom = min(scene.height, (gy + 1) * step)
            let x0 = left * step
            let x1 = min(scene.width, (right + 1) * step)
            points += [(x0, top), (x1, top), (x0, bottom), (x1, bottom)]
        }
        let hull = Self.convexHull(points)
        return hull.map { point in
            (min(1000, point.1 * 1000 / scene.height), min(1000, point.0 * 1000 / scene.width))
        }
    }

    /// Andrew's monotone chain on (x, y) points; returns the hull without repeating the first point.
    static func convexHull(_ input: [(Int, Int)]) -> [(Int, Int)] {
        let points = Array(Set(input.map { [$0.0, $0.1] })).map { ($0[0], $0[1]) }.sorted { $0 < $1 }
        guard points.count > 2 else { return points }
        func cross(_ o: (Int, Int), _ a: (Int, Int), _ b: (Int, Int)) -> Int {
            (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
        }
        var lower: [(Int, Int)] = []
        for p in points {
            while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        var upper: [(Int, Int)] = []
        for p in points.reversed() {
            while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
