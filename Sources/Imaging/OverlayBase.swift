import CVips

/// What an overlay is drawn on: the upright picture decoded at overlay size, or nothing for a transparent layer.
///
/// A photo's overlays (detect, segment, …) share one: it is decoded once per photo and size, not once per overlay.
public struct OverlayBase: Sendable {
    /// The size drawn at: the upright picture, long side at most the overlay's `maxSide`.
    public let width: Int
    public let height: Int
    /// The upright original's size: box and mask coordinates are pixels of it.
    public let uprightWidth: Int
    public let uprightHeight: Int
    /// The decoded picture, or nil for a transparent layer.
    let picture: PixelImage?

    /// The picture at `imagePath`, upright, decoded straight at the reduced size (shrink-on-load).
    ///
    /// Blocking libvips work: call off Swift's cooperative pool.
    public static func picture(imagePath: String, maxSide: Int, maxPixels: Int = Imaging.defaultMaxPixels) throws -> OverlayBase {
        try picture(file: try ImageFile(path: imagePath), maxSide: maxSide, maxPixels: maxPixels)
    }

    /// ``picture(imagePath:maxSide:maxPixels:)`` of a file already open.
    public static func picture(file: ImageFile, maxSide: Int, maxPixels: Int = Imaging.defaultMaxPixels) throws -> OverlayBase {
        let image = try UprightImageFile(file: file, maxPixels: maxPixels)
        let imagePath = file.path
        let info = image.info
        let target = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: .maxSide(maxSide))
        let upright = try image.load(width: target.width, height: target.height)
        let pixels = try ImageCodec.pixels(of: upright, format: info.format, path: imagePath, size: image.file.size)
        return OverlayBase(
            width: target.width, height: target.height, uprightWidth: info.uprightWidth, uprightHeight: info.uprightHeight,
            picture: pixels)
    }

    /// The picture drawn from `copy`, a re-encoded upright copy of the photo at least as large as the overlay
    /// (the one sent to the model): decoding its few hundred kilobytes costs far less than decoding the photo again.
    ///
    /// Blocking libvips work: call off Swift's cooperative pool.
    public static func picture(copy: PreparedImage, maxSide: Int) throws -> OverlayBase {
        let info = copy.originalInfo
        let target = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: .maxSide(maxSide))
        let pixels = try CopyDecoder.withPicture(of: copy, width: target.width, height: target.height) { picture, format in
            try ImageCodec.pixels(of: picture, format: format, path: nil, size: copy.data.count)
        }
        return OverlayBase(
            width: target.width, height: target.height, uprightWidth: info.uprightWidth, uprightHeight: info.uprightHeight,
            picture: pixels)
    }

    /// A transparent layer the size the picture at `imagePath` would be drawn at: only its header is read.
    public static func layer(imagePath: String, maxSide: Int, maxPixels: Int = Imaging.defaultMaxPixels) throws -> OverlayBase {
        let info = try UprightImageFile(path: imagePath, maxPixels: maxPixels).info
        return layer(uprightWidth: info.uprightWidth, uprightHeight: info.uprightHeight, maxSide: maxSide)
    }

    /// A transparent layer the size the picture would be drawn at: nothing is read or decoded.
    public static func layer(uprightWidth: Int, uprightHeight: Int, maxSide: Int) -> OverlayBase {
        let target = ImageSizing.targetSize(width: uprightWidth, height: uprightHeight, resolution: .maxSide(maxSide))
        return OverlayBase(
            width: target.width, height: target.height, uprightWidth: uprightWidth, uprightHeight: uprightHeight, picture: nil)
    }
}
