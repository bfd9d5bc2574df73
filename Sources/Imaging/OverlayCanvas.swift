/// An RGB picture that overlays are painted on, or a transparent RGBA layer (``init(layerWidth:height:)``);
/// coordinates outside it are clipped. On a layer, paint is composed with the "over" operator.
struct OverlayCanvas {
    private(set) var image: PixelImage

    /// A fully transparent RGBA layer.
    init(layerWidth: Int, height: Int) {
        image = PixelImage(width: layerWidth, height: height, bands: 4, fill: 0)
    }

    private var isLayer: Bool { image.bands == 4 }

    /// Wraps decoded pixels as RGB: grey is spread to three bands, alpha is flattened onto white.
    init(_ source: PixelImage) {
        guard source.bands != 3 else {
            image = source
            return
        }
        var rgb = [UInt8](repeating: 0, count: source.width * source.height * 3)
        for index in 0..<(source.width * source.height) {
            let start = index * source.bands
            for band in 0..<3 {
                let value = source.pixels[start + (source.bands == 1 ? 0 : band)]
                if source.bands == 4 {
                    let alpha = Int(source.pixels[start + 3])
                    rgb[index * 3 + band] = UInt8((Int(value) * alpha + 255 * (255 - alpha)) / 255)
                } else {
                    rgb[index * 3 + band] = value
                }
            }
        }
        image = PixelImage(width: source.width, height: source.height, bands: 3, pixels: rgb)
    }

    var width: Int { image.width }
    var height: Int { image.height }

    /// Paints an opaque rectangle.
    mutating func fill(x: Int, y: Int, width: Int, height: Int, color: [UInt8]) {
        image.fillRect(x: x, y: y, width: width, height: height, color: isLayer ? color + [255] : color)
    }

    /// Paints the border of a rectangle, `thickness` pixels wide, inside the rectangle.
    mutating func stroke(x: Int, y: Int, width: Int, height: Int, thickness: Int, color: [UInt8]) {
        let line = min(thickness, width, height)
        fill(x: x, y: y, width: width, height: line, color: color)
        fill(x: x, y: y + height - line, width: width, height: line, color: color)
        fill(x: x, y: y, width: line, height: height, color: color)
        fill(x: x + width - line, y: y, width: line, height: height, color: color)
    }

    /// Tints the non-zero pixels of `mask` (1 band) placed at (x, y) with `color` at `opacity`,
    /// and paints its edge pixels (inside pixels within `outline` of an outside one) opaque.
    mutating func tint(mask: PixelImage, x originX: Int, y originY: Int, color: [UInt8], opacity: Double, outline: Int) {
        let weight = Int((opacity * 256).rounded())
        let maskWidth = mask.width
        let maskHeight = mask.height
        let canvasWidth = image.width
        let canvasHeight = image.height
        mask.pixels.withUnsafeBufferPointer { maskPixels in
            func inside(_ x: Int, _ y: Int) -> Bool {
                x >= 0 && y >= 0 && x < maskWidth && y < maskHeight && maskPixels[y * maskWidth + x] != 0
            }
            func isEdge(_ x: Int, _ y: Int) -> Bool {
                guard outline > 0 else { return false }
                for step in 1...outline where !inside(x - step, y) || !inside(x + step, y) || !inside(x, y - step) || !inside(x, y + step) {
                    return true
                }
                return false
            }
            let bands = image.bands
            image.pixels.withUnsafeMutableBufferPointer { canvas in
                for y in max(0, -originY)..<max(0, min(maskHeight, canvasHeight - originY)) {
                    for x in max(0, -originX)..<max(0, min(maskWidth, canvasWidth - originX)) where maskPixels[y * maskWidth + x] != 0 {
                        let start = ((originY + y) * canvasWidth + originX + x) * bands
                        let alpha = isEdge(x, y) ? 256 : weight
                        if bands == 4 {
                            Self.over(color, alpha: alpha, at: start, in: &canvas)
                            continue
                        }
                        for band in 0..<3 {
                            let old = Int(canvas[start + band])
                            canvas[start + band] = UInt8(old + ((Int(color[band]) - old) * alpha) >> 8)
                        }
                    }
                }
            }
        }
    }

    /// Paints `color` through a coverage image (1 band, 255 = fully covered), e.g. rendered text.
    mutating func paint(coverage: PixelImage, x originX: Int, y originY: Int, color: [UInt8]) {
        for y in 0..<coverage.height where originY + y >= 0 && originY + y < image.height {
            for x in 0..<coverage.width where originX + x >= 0 && originX + x < image.width {
                let alpha = Int(coverage.pixels[y * coverage.width + x])
                guard alpha > 0 else { continue }
                let start = ((originY + y) * image.width + originX + x) * image.bands
                if isLayer {
                    image.pixels.withUnsafeMutableBufferPointer { Self.over(color, alpha: alpha * 256 / 255, at: start, in: &$0) }
                    continue
                }
                for band in 0..<3 {
                    let old = Int(image.pixels[start + band])
                    image.pixels[start + band] = UInt8((Int(color[band]) * alpha + old * (255 - alpha)) / 255)
                }
            }
        }
    }

    /// Composes `color` at `alpha` (0-256) over the RGBA pixel at `start` (straight alpha).
    private static func over(_ color: [UInt8], alpha: Int, at start: Int, in canvas: inout UnsafeMutableBufferPointer<UInt8>) {
        let above = alpha * 255 / 256
        let below = Int(canvas[start + 3]) * (256 - alpha) / 256
        let outAlpha = above + below
        guard outAlpha > 0 else { return }
        for band in 0..<3 {
            let mixed = (Int(color[band]) * above + Int(canvas[start + band]) * below) / outAlpha
            canvas[start + band] = UInt8(min(255, mixed))
        }
        canvas[start + 3] = UInt8(min(255, outAlpha))
    }
}
