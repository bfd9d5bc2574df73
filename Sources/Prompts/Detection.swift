/// A box in pixels of the upright original image, clamped to it.
public struct PixelBox: Sendable, Codable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Converts `[ymin, xmin, ymax, xmax]` on the 0-1000 grid (already clamped) to pixels.
    ///
    /// Edges round outwards (floor for the minimum, ceil for the maximum) so the box covers the
    /// object; a non-degenerate grid box is at least one pixel each way.
    static func fromGrid(_ grid: GridBox, imageWidth: Int, imageHeight: Int) -> PixelBox {
        let left = pixel(grid.xmin, size: imageWidth, rounding: .down)
        let top = pixel(grid.ymin, size: imageHeight, rounding: .down)
        let right = max(left + 1, pixel(grid.xmax, size: imageWidth, rounding: .up))
        let bottom = max(top + 1, pixel(grid.ymax, size: imageHeight, rounding: .up))
        return PixelBox(x: left, y: top, width: right - left, height: bottom - top)
    }

    private static func pixel(_ value: Double, size: Int, rounding: FloatingPointRoundingRule) -> Int {
        let scaled = (value * Double(size) / 1000).rounded(rounding)
        return min(max(Int(scaled), 0), size)
    }
}

/// A box on the model's 0-1000 grid, y first, within the grid.
struct GridBox: Equatable {
    var ymin: Double
    var xmin: Double
    var ymax: Double
    var xmax: Double
}

/// One detected object.
public struct Detection: Sendable, Codable, Equatable {
    /// The model's label, kept as data (control characters removed, length capped).
    public var label: String
    /// `[ymin, xmin, ymax, xmax]` on the 0-1000 grid as the model returned it (before clamping).
    public var box2d: [Double]
    /// The box in pixels of the upright original, clamped to the image.
    public var box: PixelBox

    public init(label: String, box2d: [Double], box: PixelBox) {
        self.label = label
        self.box2d = box2d
        self.box = box
    }

    enum CodingKeys: String, CodingKey {
        case label
        case box2d = "box_2d"
        case box
    }
}

/// Detections read from a reply, with notes on everything dropped, clamped or cut.
public struct DetectionParse: Sendable, Equatable {
    public var detections: [Detection]
    public var notes: [String]

    public init(detections: [Detection], notes: [String]) {
        self.detections = detections
        self.notes = notes
    }
}
