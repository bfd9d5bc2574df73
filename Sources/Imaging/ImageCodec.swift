import CVips

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decodes images to 8-bit pixels and encodes pixels to image files, in memory.
///
/// Blocking CPU work: call from a dedicated thread or serial queue, not Swift's cooperative pool.
public enum ImageCodec {
    /// Decodes JPEG/PNG/WebP/HEIC/HEIF bytes to their stored pixels (no EXIF rotation), 8-bit.
    ///
    /// Grey stays 1 band, grey+alpha becomes RGBA, colour becomes sRGB (3 bands, 4 with alpha).
    /// Images with more than `maxPixels` pixels are refused (`tooLarge`) after reading the header only.
    public static func decode(_ bytes: [UInt8], maxPixels: Int = Imaging.defaultMaxPixels) throws -> PixelImage {
        Imaging.initialize()
        guard !bytes.isEmpty else { throw ImagingError(.truncated, "no bytes to decode") }
        let format = try ImageProbe.format(of: Array(bytes.prefix(ImageProbe.headerLength)), path: nil)
        return try bytes.withUnsafeBytes { raw in
            // The source reads the caller's memory in place, so everything happens inside this closure.
            guard let pointer = vips_source_new_from_memory(raw.baseAddress, raw.count) else {
                throw ImagingError(.decodeFailed, "libvips cannot read the bytes", vipsDetail: Vips.takeErrorText())
            }
            let source = VipsSourceRef(taking: pointer)
            let image = try ImageLoader.load(source, format: format, path: nil, size: bytes.count)
            try checkSize(image, maxPixels: maxPixels, path: nil)
            return try pixels(of: image, format: format, path: nil, size: bytes.count)
        }
    }

    /// Decodes `data` like `decode(_: [UInt8])`.
    public static func decode(_ data: Data, maxPixels: Int = Imaging.defaultMaxPixels) throws -> PixelImage {
        try decode([UInt8](data), maxPixels: maxPixels)
    }

    /// Decodes the file at `path` like `decode(_:)`; refuses non-regular files.
    public static func decodeFile(path: String, maxPixels: Int = Imaging.defaultMaxPixels) throws -> PixelImage {
        Imaging.initialize()
        let file = try ImageFile(path: path)
        let format = try ImageProbe.format(of: file)
        let image = try ImageLoader.load(try file.source(), format: format, path: path, size: file.size)
        try checkSize(image, maxPixels: maxPixels, path: path)
        return try pixels(of: image, format: format, path: path, size: file.size)
    }

    /// Lossless PNG (compression level 6), no metadata.
    public static func encodePNG(_ image: PixelImage) throws -> Data {
        Imaging.initialize()
        let vipsImage = try VipsPixels.image(from: image)
        return try Data(VipsPixels.encode(vipsImage, format: .png, quality: 100, keepMetadata: false))
    }

    /// JPEG at `quality` (1-100); with `orientation` (1-8) the EXIF Orientation tag is written.
    public static func encodeJPEG(_ image: PixelImage, quality: Int = 90, orientation: Int? = nil) throws -> Data {
        try encode(image, format: .jpeg, quality: quality, orientation: orientation)
    }

    /// Encodes to any of the five formats. PNG is lossless; the others use `quality`.
    ///
    /// `orientation` is written as EXIF Orientation (JPEG, WebP); other formats accept only 1
    /// (PNG is written without metadata, HEIC/HEIF readers ignore EXIF orientation).
    /// HEIC and HEIF are both HEVC-coded (libheif with x265); `.heif` only changes the MIME type.
    public static func encode(_ image: PixelImage, format: ImageFormat, quality: Int = 90, orientation: Int? = nil) throws -> Data {
        Imaging.initialize()
        let vipsImage = try VipsPixels.image(from: image)
        if let orientation {
            guard (1...8).contains(orientation) else {
                throw ImagingError(.encodeFailed, "EXIF orientation must be 1-8, got \(orientation)")
            }
            guard orientation == 1 || format == .jpeg || format == .webp else {
                throw ImagingError(.encodeFailed, "orientation \(orientation) can only be written to JPEG or WebP; turn the pixels instead")
            }
            vips_image_set_int(vipsImage.pointer, "orientation", Int32(orientation))
        }
        return try Data(VipsPixels.encode(vipsImage, format: format, quality: quality, keepMetadata: orientation != nil))
    }

    private static func checkSize(_ image: VipsImageRef, maxPixels: Int, path: String?) throws {
        guard image.width * image.height <= maxPixels else {
            throw ImagingError(
                .tooLarge, path: path,
                "\(image.width)x\(image.height) is over the limit of \(maxPixels) pixels; raise the limit to accept it")
        }
    }

    /// Converts a loaded image to 8-bit grey or sRGB and copies its pixels out.
    ///
    /// Decoding happens here, so decode errors (truncation included) surface here too.
    static func pixels(of image: VipsImageRef, format: ImageFormat, path: String?, size: Int) throws -> PixelImage {
        let ready = try VipsPixels.eightBit(image, path: path)
        var length = 0
        guard let memory = vips_image_write_to_memory(ready.pointer, &length) else {
            throw ImageLoader.failure(format: format, path: path, size: size, detail: Vips.takeErrorText())
        }
        defer { g_free(memory) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: memory, count: length))
        return PixelImage(width: ready.width, height: ready.height, bands: ready.bands, pixels: bytes)
    }
}
