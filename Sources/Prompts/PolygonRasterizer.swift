/// Fills polygons into a binary mask with the even-odd rule.
enum PolygonRasterizer {
    /// A point in pixels relative to the mask's top-left corner.
    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    /// Rasterises `rings` (each closed implicitly) into a `width` x `height` mask.
    ///
    /// A pixel is inside when its centre is; parts outside the mask are clipped. Crossings are
    /// bucketed per row, so the cost is the rows each edge spans plus the pixels filled.
    static func fill(rings: [[Point]], width: Int, height: Int) -> MaskBitmap {
        var crossings = [[Double]](repeating: [], count: height)
        for ring in rings where ring.count >= 3 {
            for index in ring.indices {
                let start = ring[index]
                let end = ring[(index + 1) % ring.count]
                guard start.y != end.y else { continue }
                let top = min(start.y, end.y)
                let bottom = max(start.y, end.y)
                // Rows whose centre y + 0.5 lies in [top, bottom).
                let firstRow = firstCentre(atOrAfter: top, limit: height)
                let lastRow = firstCentre(atOrAfter: bottom, limit: height)
                guard firstRow < lastRow else { continue }
                let slope = (end.x - start.x) / (end.y - start.y)
                for row in firstRow..<lastRow {
                    crossings[row].append(start.x + (Double(row) + 0.5 - start.y) * slope)
                }
            }
        }
        var pixels = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height where crossings[row].count >= 2 {
            let sorted = crossings[row].sorted()
            var pair = 0
            while pair + 1 < sorted.count {
                // Columns whose centre x + 0.5 lies in [left, right).
                let first = firstCentre(atOrAfter: sorted[pair], limit: width)
                let last = firstCentre(atOrAfter: sorted[pair + 1], limit: width)
                if first < last {
                    for column in first..<last { pixels[row * width + column] = 255 }
                }
                pair += 2
            }
        }
        return MaskBitmap(width: width, height: height, pixels: pixels)
    }

    /// The first pixel index whose centre (index + 0.5) is at or after `coordinate`, within 0...limit.
    private static func firstCentre(atOrAfter coordinate: Double, limit: Int) -> Int {
        let index = (coordinate - 0.5).rounded(.up)
        guard index > 0 else { return 0 }
        guard index < Double(limit) else { return limit }
        return Int(index)
    }

    /// How many row crossings filling `rings` into a mask `height` rows tall takes, without allocating them.
    static func crossingCount(rings: [[Point]], height: Int) -> Int {
        var total = 0
        for ring in rings where ring.count >= 3 {
            for index in ring.indices {
                let start = ring[index]
                let end = ring[(index + 1) % ring.count]
                guard start.y != end.y else { continue }
                let first = firstCentre(atOrAfter: min(start.y, end.y), limit: height)
                let last = firstCentre(atOrAfter: max(start.y, end.y), limit: height)
                total += max(0, last - first)
            }
        }
        return total
    }
}
