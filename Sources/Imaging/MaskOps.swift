/// Operations on single-band masks (0 = outside, 255 = inside; probabilities in between).
public enum MaskOps {
    /// Bilinear resize of every band to `width` x `height`, sampling at pixel centres.
    public static func resize(gray: PixelImage, toWidth width: Int, height: Int) -> PixelImage {
        precondition(width > 0 && height > 0, "mask size must be positive")
        if gray.width == width && gray.height == height { return gray }
        let bands = gray.bands
        let columns = samples(from: gray.width, to: width)
        let rows = samples(from: gray.height, to: height)
        var out = [UInt8](repeating: 0, count: width * height * bands)
        gray.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = rows[y]
                    let top = row.low * gray.width, bottom = row.high * gray.width
                    for x in 0..<width {
                        let column = columns[x]
                        for band in 0..<bands {
                            let a = Double(src[(top + column.low) * bands + band]), b = Double(src[(top + column.high) * bands + band])
                            let c = Double(src[(bottom + column.low) * bands + band]), d = Double(src[(bottom + column.high) * bands + band])
                            let upper = a + (b - a) * column.weight, lower = c + (d - c) * column.weight
                            dst[(y * width + x) * bands + band] = UInt8((upper + (lower - upper) * row.weight).rounded())
                        }
                    }
                }
            }
        }
        return PixelImage(width: width, height: height, bands: bands, pixels: out)
    }

    /// Binary mask: 255 where the value is >= `threshold`, 0 elsewhere (band 0 only; result has 1 band).
    ///
    /// Gemini's probability masks are thresholded at 127 by convention: pass 127 to include 127.
    public static func threshold(_ mask: PixelImage, at threshold: UInt8) -> PixelImage {
        var out = PixelImage(width: mask.width, height: mask.height, bands: 1)
        for index in 0..<(mask.width * mask.height) where mask.pixels[index * mask.bands] >= threshold {
            out.pixels[index] = 255
        }
        return out
    }

    /// Number of pixels whose band 0 is not 0.
    public static func area(_ mask: PixelImage) -> Int {
        var count = 0
        for index in stride(from: 0, to: mask.pixels.count, by: mask.bands) where mask.pixels[index] != 0 {
            count += 1
        }
        return count
    }

    /// A `width` x `height` mask with 255 inside the polygon (even-odd rule, tested at pixel centres).
    ///
    /// Points are in pixel coordinates of the mask; the polygon closes itself. Fewer than 3 points give
    /// an empty mask.
    public static func rasterizePolygon(points: [(x: Double, y: Double)], width: Int, height: Int) -> PixelImage {
        var mask = PixelImage(width: width, height: height, bands: 1)
        guard points.count >= 3 else { return mask }
        var crossings: [Double] = []
        for y in 0..<height {
            let centre = Double(y) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for index in points.indices {
                let a = points[index], b = points[(index + 1) % points.count]
                // Half-open rule: an edge counts when the scanline lies in [min y, max y).
                if (a.y <= centre) != (b.y <= centre) {
                    crossings.append(a.x + (centre - a.y) / (b.y - a.y) * (b.x - a.x))
                }
            }
            crossings.sort()
            var pair = 0
            while pair + 1 < crossings.count {
                // Pixel x is inside when its centre x + 0.5 lies in [start, end).
                let first = max(0, Int((crossings[pair] - 0.5).rounded(.up)))
                let last = min(width - 1, Int((crossings[pair + 1] - 0.5).rounded(.up)) - 1)
                if first <= last {
                    for x in first...last { mask.pixels[y * width + x] = 255 }
                }
                pair += 2
            }
        }
        return mask
    }

    /// For each output position, the two source positions around its centre and the weight of the second.
    private static func samples(from source: Int, to target: Int) -> [(low: Int, high: Int, weight: Double)] {
        let ratio = Double(source) / Double(target)
        return (0..<target).map { index in
            let position = min(max((Double(index) + 0.5) * ratio - 0.5, 0), Double(source - 1))
            let low = Int(position)
            return (low, min(low + 1, source - 1), position - Double(low))
        }
    }
}
