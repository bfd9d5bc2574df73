/// What a file holds, read from its header only.
public struct ImageInfo: Sendable, Codable, Equatable {
    public var format: ImageFormat
    public var mimeType: String
    /// Stored width, before any EXIF rotation.
    public var width: Int
    /// Stored height, before any EXIF rotation.
    public var height: Int
    /// EXIF orientation 1-8; 1 when the file has none.
    public var orientation: Int
    public var hasAlpha: Bool

    public init(format: ImageFormat, width: Int, height: Int, orientation: Int = 1, hasAlpha: Bool = false) {
        self.format = format
        self.mimeType = format.mimeType
        self.width = width
        self.height = height
        self.orientation = (1...8).contains(orientation) ? orientation : 1
        self.hasAlpha = hasAlpha
    }

    /// True when showing the image upright swaps its sides (orientations 5-8).
    public var swapsSides: Bool { orientation >= 5 }

    /// Width as a person sees the picture.
    public var uprightWidth: Int { swapsSides ? height : width }

    /// Height as a person sees the picture.
    public var uprightHeight: Int { swapsSides ? width : height }

    /// Stored pixel count.
    public var pixelCount: Int { width * height }
}
