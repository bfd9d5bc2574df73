import CVips

/// An image file checked for size and ready to be decoded upright at a chosen size.
///
/// Decoding uses vips_thumbnail on the already opened descriptor: EXIF orientation is applied,
/// JPEG and WebP decode at a reduced scale when the target is much smaller (a 24 MP photo never
/// exists in memory at full size), an embedded ICC profile is converted to sRGB, and a cut-off
/// file is an error instead of grey pixels.
final class UprightImageFile {
    let file: ImageFile
    let info: ImageInfo
    /// True when the file embeds an ICC profile (Display P3, Adobe RGB, ...).
    let hasColorProfile: Bool

    /// Opens and probes `path`, refusing images with more than `maxPixels` stored pixels.
    convenience init(path: String, maxPixels: Int) throws {
        try self.init(file: try ImageFile(path: path), maxPixels: maxPixels)
    }

    /// Probes a file already open, refusing images with more than `maxPixels` stored pixels.
    init(file: ImageFile, maxPixels: Int) throws {
        Imaging.initialize()
        self.file = file
        let path = file.path
        let probed = try ImageProbe.probe(file)
        info = probed.info
        hasColorProfile = vips_image_get_typeof(probed.image.pointer, "icc-profile-data") != 0
        guard info.pixelCount <= maxPixels else {
            throw ImagingError(
                .tooLarge, path: path,
                "\(info.width)x\(info.height) is \(info.pixelCount) pixels, over the limit of \(maxPixels); raise the limit to accept it")
        }
    }

    /// The picture upright, resized to exactly `width` x `height`.
    func load(width: Int, height: Int) throws -> VipsImageRef {
        let source = try file.source()
        var out: UnsafeMutablePointer<VipsImage>?
        let status = ds_vips_thumbnail_source(
            source.pointer, &out, Int32(width), Int32(height), VIPS_SIZE_FORCE,
            "fail_on=truncated", hasColorProfile ? "srgb" : nil)
        guard status == 0, let out else {
            if let out { g_object_unref(out) }
            throw ImageLoader.failure(format: info.format, path: file.path, size: file.size, detail: Vips.takeErrorText())
        }
        return VipsImageRef(taking: out)
    }

    /// Decodes the whole file at a tiny size and throws if it is cut off or corrupt.
    ///
    /// For files passed on untouched: JPEG decodes at 1/8 scale here, so the check is cheap.
    func verify() throws {
        let size = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: .maxSide(64))
        let small = try load(width: size.width, height: size.height)
        var length = 0
        guard let memory = vips_image_write_to_memory(small.pointer, &length) else {
            throw ImageLoader.failure(format: info.format, path: file.path, size: file.size, detail: Vips.takeErrorText())
        }
        g_free(memory)
    }
}
