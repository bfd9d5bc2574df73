/// A binary mask covering one box: one byte per pixel, 0 outside and 255 inside, rows top to bottom.
public struct MaskBitmap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "mask pixel count must be width * height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Pixels inside the mask.
    public var area: Int {
        pixels.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
    }

    /// Whether the pixel at (x, y) is inside.
    public subscript(x x: Int, y y: Int) -> Bool {
        pixels[y * width + x] != 0
    }
}

/// Turns a grayscale probability map into a box-sized binary mask.
enum MaskResampler {
    /// Bilinear resize of `gray` (`sourceWidth` x `sourceHeight`) to the target size, then
    /// threshold: a value `>= threshold` is inside (255), anything else outside (0).
    ///
    /// Pixel centres are aligned (a target pixel samples the source at `(x + 0.5) * scale - 0.5`).
    static func resizeAndThreshold(
        gray: [UInt8], sourceWidth: Int, sourceHeight: Int,
        width: Int, height: Int, threshold: UInt8
    ) -> MaskBitmap {
        let columns = samples(target: width, source: sourceWidth)
        let rows = samples(target: height, source: sourceHeight)
        let limit = Double(threshold)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = rows[y]
            let top = row.low * sourceWidth
            let bottom = row.high * sourceWidth
            for x in 0..<width {
                let column = columns[x]
                let upper = Double(gray[top + column.low]) * (1 - column.weight)
                    + Double(gray[top + column.high]) * column.weight
                let lower = Double(gray[bottom + column.low]) * (1 - column.weight)
                    + Double(gray[bottom + column.high]) * column.weight
                let value = upper * (1 - row.weight) + lower * row.weight
                if value >= limit { pixels[y * width + x] = 255 }
            }
        }
        return MaskBitmap(width: width, height: height, pixels: pixels)
    }

    private struct Sample {
        var low: Int
        var high: Int
        var weight: Double
    }

    private static func samples(target: Int, source: Int) -> [Sample] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { index in
            let position = min(max((Double(index) + 0.5) * scale - 0.5, 0), Double(source - 1))
            let low = Int(position)
            return Sample(low: low, high: min(low + 1, source - 1), weight: position - Double(low))
        }
    }
}
