/// An 8-bit image in memory: row-major, bands interleaved (1 grey, 3 RGB, 4 RGBA).
public struct PixelImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var bands: Int
    /// `width * height * bands` bytes, top row first.
    public var pixels: [UInt8]

    /// An image whose every byte is `fill`.
    public init(width: Int, height: Int, bands: Int, fill: UInt8 = 0) {
        precondition(width > 0 && height > 0, "image must have at least one pixel")
        precondition([1, 3, 4].contains(bands), "bands must be 1, 3 or 4")
        self.width = width
        self.height = height
        self.bands = bands
        self.pixels = [UInt8](repeating: fill, count: width * height * bands)
    }

    /// An image whose every pixel is `fill` (one value per band; its count sets `bands`).
    public init(width: Int, height: Int, fill: [UInt8]) {
        self.init(width: width, height: height, bands: fill.count)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: fill.count) {
                for band in fill.indices { buffer[start + band] = fill[band] }
            }
        }
    }

    /// Wraps existing pixel bytes; their count must be `width * height * bands`.
    public init(width: Int, height: Int, bands: Int, pixels: [UInt8]) {
        precondition([1, 3, 4].contains(bands), "bands must be 1, 3 or 4")
        precondition(pixels.count == width * height * bands, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.bands = bands
        self.pixels = pixels
    }

    /// Byte offset of the first band of pixel (x, y).
    @inlinable
    public func offset(x: Int, y: Int) -> Int {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        return (y * width + x) * bands
    }

    /// The band values of pixel (x, y).
    public func pixel(x: Int, y: Int) -> [UInt8] {
        let start = offset(x: x, y: y)
        return Array(pixels[start..<start + bands])
    }

    /// Sets pixel (x, y) to `value` (one byte per band).
    public mutating func setPixel(x: Int, y: Int, _ value: [UInt8]) {
        precondition(value.count == bands, "value has \(value.count) bands, image has \(bands)")
        let start = offset(x: x, y: y)
        pixels.replaceSubrange(start..<start + bands, with: value)
    }

    /// Value of one band of pixel (x, y).
    public subscript(x: Int, y: Int, band: Int = 0) -> UInt8 {
        get { pixels[offset(x: x, y: y) + band] }
        set { pixels[offset(x: x, y: y) + band] = newValue }
    }

    /// Paints the rectangle, clipped to the image, with `color` (one byte per band).
    public mutating func fillRect(x: Int, y: Int, width rectWidth: Int, height rectHeight: Int, color: [UInt8]) {
        precondition(color.count == bands, "colour has \(color.count) bands, image has \(bands)")
        let left = max(0, x)
        let top = max(0, y)
        let right = min(width, x + rectWidth)
        let bottom = min(height, y + rectHeight)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right {
                let start = (row * width + column) * bands
                for band in 0..<bands { pixels[start + band] = color[band] }
            }
        }
    }
}
