#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Makes the copy of an image file that is sent to the model: upright, sized, encoded.
///
/// Blocking CPU and disk work: call from a dedicated thread or serial queue (see `ImagingQueue`).
public enum ImagePreparer {
    /// JPEG quality of re-encoded copies.
    public static let jpegQuality = 90

    /// Prepares the file at `path` for the model.
    ///
    /// Probes first and refuses images over `maxPixels` stored pixels before decoding anything
    /// (`tooLarge`). When neither the size nor the orientation changes, the file's own bytes are
    /// returned untouched (after a cheap full decode at tiny size, so a cut-off file fails with
    /// `truncated` instead of reaching the model); otherwise the upright, resized picture is re-encoded as JPEG (PNG when it has
    /// alpha) without metadata, converted to sRGB when the file embeds a colour profile. Never upscales.
    public static func prepare(path: String, resolution: Resolution, maxPixels: Int = Imaging.defaultMaxPixels) throws -> PreparedImage {
        try prepare(file: try ImageFile(path: path), resolution: resolution, maxPixels: maxPixels)
    }

    /// ``prepare(path:resolution:maxPixels:)`` of a file already open.
    public static func prepare(file: ImageFile, resolution: Resolution, maxPixels: Int = Imaging.defaultMaxPixels) throws -> PreparedImage {
        let image = try UprightImageFile(file: file, maxPixels: maxPixels)
        let path = file.path
        let info = image.info
        let target = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: resolution)
        let unchanged = target.width == info.uprightWidth && target.height == info.uprightHeight
        if unchanged && info.orientation == 1 {
            try image.verify()
            return PreparedImage(
                data: Data(try image.file.readAll()), mimeType: info.mimeType, width: info.width, height: info.height,
                estimatedTokens: ImageTokens.estimate(width: info.width, height: info.height), originalInfo: info)
        }
        let upright = try image.load(width: target.width, height: target.height)
        let ready = try VipsPixels.eightBit(upright, path: path)
        let format: ImageFormat = ready.hasAlpha ? .png : .jpeg
        let bytes = try VipsPixels.encode(ready, format: format, quality: jpegQuality, keepMetadata: false, path: path)
        return PreparedImage(
            data: Data(bytes), mimeType: format.mimeType, width: ready.width, height: ready.height,
            estimatedTokens: ImageTokens.estimate(width: ready.width, height: ready.height), originalInfo: info)
    }

    /// The copy for `resolution` made from `source`, a larger re-encoded copy of the same photo, instead of from
    /// the photo: decoding a few hundred kilobytes instead of megabytes, so a photo whose prompts want
    /// different sizes is decoded once, at the largest. The size is the one the photo itself would give.
    public static func prepare(from source: PreparedImage, resolution: Resolution) throws -> PreparedImage {
        let info = source.originalInfo
        let target = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: resolution)
        precondition(source.isReencoded && target.width <= source.width && target.height <= source.height)
        let bytes = try CopyDecoder.withPicture(of: source, width: target.width, height: target.height) { picture, format in
            let ready = try VipsPixels.eightBit(picture, path: nil)
            return try VipsPixels.encode(ready, format: format, quality: jpegQuality, keepMetadata: false)
        }
        return PreparedImage(
            data: Data(bytes), mimeType: source.mimeType, width: target.width, height: target.height,
            estimatedTokens: ImageTokens.estimate(width: target.width, height: target.height), originalInfo: info)
    }
}
