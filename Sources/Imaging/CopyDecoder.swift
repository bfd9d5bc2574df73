import CVips

/// Decodes a re-encoded copy (the JPEG or PNG made for the model) straight at a smaller size.
///
/// The copy is read in place from memory, so everything happens inside `body`. Blocking libvips work: call
/// off Swift's cooperative pool.
enum CopyDecoder {
    static func withPicture<T>(
        of copy: PreparedImage, width: Int, height: Int, _ body: (VipsImageRef, ImageFormat) throws -> T
    ) throws -> T {
        Imaging.initialize()
        let format: ImageFormat = copy.mimeType == ImageFormat.png.mimeType ? .png : .jpeg
        return try copy.data.withUnsafeBytes { raw in
            guard let pointer = vips_source_new_from_memory(raw.baseAddress, raw.count) else {
                throw ImagingError(.decodeFailed, "libvips cannot read the copy", vipsDetail: Vips.takeErrorText())
            }
            let source = VipsSourceRef(taking: pointer)
            var out: UnsafeMutablePointer<VipsImage>?
            let status = ds_vips_thumbnail_source(
                source.pointer, &out, Int32(width), Int32(height), VIPS_SIZE_FORCE, "fail_on=truncated", nil)
            guard status == 0, let out else {
                if let out { g_object_unref(out) }
                throw ImageLoader.failure(format: format, path: nil, size: raw.count, detail: Vips.takeErrorText())
            }
            return try body(VipsImageRef(taking: out), format)
        }
    }
}
