/// Fits a grayscale probability mask to a box: bilinear resize, then threshold.
public enum MaskResampler {
    /// Band 0 of `gray` resized to `width` x `height`, then 255 where the interpolated value is at least
    /// `threshold` and 0 elsewhere; the result has one band.
    ///
    /// Pixel centres are aligned: target pixel `x` samples the source at `(x + 0.5) * scale - 0.5`,
    /// clamped to the edges. The threshold applies before rounding, so `127.5` keeps what rounds to 128 or more.
    public static func resizeAndThreshold(_ gray: PixelImage, toWidth width: Int, height: Int, threshold: Double) -> PixelImage {
        let columns = samples(target: width, source: gray.width)
        let rows = samples(target: height, source: gray.height)
        let bands = gray.bands
        let sourceWidth = gray.width
        var pixels = [UInt8](repeating: 0, count: width * height)
        gray.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = rows[y]
                    let top = row.low * sourceWidth
                    let bottom = row.high * sourceWidth
                    for x in 0..<width {
                        let column = columns[x]
                        let upper =
                            Double(source[(top + column.low) * bands]) * (1 - column.weight)
                            + Double(source[(top + column.high) * bands]) * column.weight
                        let lower =
                            Double(source[(bottom + column.low) * bands]) * (1 - column.weight)
                            + Double(source[(bottom + column.high) * bands]) * column.weight
                        if upper * (1 - row.weight) + lower * row.weight >= threshold { target[y * width + x] = 255 }
                    }
                }
            }
        }
        return PixelImage(width: width, height: height, bands: 1, pixels: pixels)
    }

    /// For one output position: the two source positions around its centre and the weight of the second.
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
