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
