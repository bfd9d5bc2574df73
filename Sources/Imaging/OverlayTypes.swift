/// A labelled rectangle to draw, in pixels of the upright original image.
public struct OverlayBox: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    /// Drawn as plain text: Pango markup characters appear literally.
    public var label: String
    /// Index into `OverlayPalette`; wraps around.
    public var colorIndex: Int

    public init(x: Int, y: Int, width: Int, height: Int, label: String, colorIndex: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.label = label
        self.colorIndex = colorIndex
    }
}

/// A binary mask to tint, placed with its top-left corner at (x, y) of the upright original.
public struct OverlayMask: Sendable, Equatable {
    public var x: Int
    public var y: Int
    /// One band, non-zero inside; its size is the object's box in original pixels.
    public var mask: PixelImage
    /// Index into `OverlayPalette`; wraps around.
    public var colorIndex: Int

    public init(x: Int, y: Int, mask: PixelImage, colorIndex: Int) {
        self.x = x
        self.y = y
        self.mask = mask
        self.colorIndex = colorIndex
    }
}

/// Distinct, saturated colours for overlays (RGB).
public enum OverlayPalette {
    public static let colors: [[UInt8]] = [
        [230, 25, 75], [60, 180, 75], [0, 130, 200], [245, 130, 48], [145, 30, 180],
        [70, 240, 240], [240, 50, 230], [210, 245, 60], [0, 128, 128], [255, 225, 25],
        [170, 110, 40], [128, 0, 0], [0, 0, 128], [128, 128, 0], [250, 190, 212],
    ]

    /// The colour for `index`, wrapping around (negative indices too).
    public static func color(_ index: Int) -> [UInt8] {
        let count = colors.count
        return colors[((index % count) + count) % count]
    }

    /// Black or white, whichever reads better on `background`.
    static func textColor(on background: [UInt8]) -> [UInt8] {
        let luminance = 0.299 * Double(background[0]) + 0.587 * Double(background[1]) + 0.114 * Double(background[2])
        return luminance > 150 ? [0, 0, 0] : [255, 255, 255]
    }
}
