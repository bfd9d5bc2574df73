import CVips

/// Loads files upright (EXIF orientation applied) at a chosen size, with libvips' shrink-on-load.
enum UprightLoader {
    /// The file's picture upright, resized to exactly `width` x `height` (vips_thumbnail, size force).
    ///
    /// JPEG and WebP decode at a reduced scale when the target is much smaller, so a 24 MP photo
    /// never exists in memory at full size. A cut-off file is an error, not grey pixels.
    static func load(_ file: ImageFile, info: ImageInfo, width: Int, height: Int) throws -> VipsImageRef {
        let source = try file.source()
        var out: UnsafeMutablePointer<VipsImage>?
        let status = ds_vips_thumbnail_source(source.pointer, &out, Int32(width), Int32(height), VIPS_SIZE_FORCE, "fail_on=truncated")
        guard status == 0, let out else {
            if let out { g_object_unref(out) }
            throw ImageLoader.failure(format: info.format, path: file.path, size: file.size, detail: Vips.takeErrorText())
        }
        return VipsImageRef(taking: out)
    }

    /// Decodes the whole file at a tiny size and throws if it is cut off or corrupt.
    ///
    /// For files passed on untouched: JPEG decodes at 1/8 scale here, so the check is cheap.
    static func verify(_ file: ImageFile, info: ImageInfo) throws {
        let side = 64
        let size = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: .maxSide(side))
        let small = try load(file, info: info, width: size.width, height: size.height)
        var length = 0
        guard let memory = vips_image_write_to_memory(small.pointer, &length) else {
            throw ImageLoader.failure(format: info.format, path: file.path, size: file.size, detail: Vips.takeErrorText())
        }
        g_free(memory)
    }

    /// Opens and probes `path`, refusing images with more than `maxPixels` stored pixels before decoding.
    static func open(path: String, maxPixels: Int) throws -> (file: ImageFile, info: ImageInfo) {
        Imaging.initialize()
        let file = try ImageFile(path: path)
        let info = try ImageProbe.probe(file).info
        guard info.pixelCount <= maxPixels else {
            throw ImagingError(.tooLarge, path: path,
                               "\(info.width)x\(info.height) is \(info.pixelCount) pixels, over the limit of \(maxPixels); raise the limit to accept it")
        }
        return (file, info)
    }
}
