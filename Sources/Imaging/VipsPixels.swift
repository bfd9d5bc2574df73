import CVips

/// Moves pixels between `PixelImage` and libvips, and encodes libvips images.
enum VipsPixels {
    /// A libvips image holding a copy of the pixels (grey for 1 band, sRGB for 3-4).
    static func image(from pixels: PixelImage) throws -> VipsImageRef {
        let pointer = pixels.pixels.withUnsafeBytes { raw in
            vips_image_new_from_memory_copy(
                raw.baseAddress, raw.count, Int32(pixels.width), Int32(pixels.height),
                Int32(pixels.bands), VIPS_FORMAT_UCHAR)
        }
        guard let pointer else {
            throw ImagingError(
                .encodeFailed, "cannot hand \(pixels.width)x\(pixels.height) pixels to libvips",
                vipsDetail: Vips.takeErrorText())
        }
        return VipsImageRef(taking: pointer)
    }

    /// The image as 8-bit grey (1 band) or sRGB (3 bands, 4 with alpha); grey+alpha becomes RGBA.
    static func eightBit(_ image: VipsImageRef, path: String?) throws -> VipsImageRef {
        let target = image.bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB
        var current = image
        if current.interpretation != target || current.bandFormat != VIPS_FORMAT_UCHAR {
            current = try Vips.image(.decodeFailed, path: path, "cannot convert the image to 8-bit sRGB") {
                ds_vips_colourspace(current.pointer, $0, target)
            }
        }
        if current.bandFormat != VIPS_FORMAT_UCHAR {
            current = try Vips.image(.decodeFailed, path: path, "cannot convert the image to 8 bits") {
                ds_vips_cast(current.pointer, $0, VIPS_FORMAT_UCHAR)
            }
        }
        guard [1, 3, 4].contains(current.bands) else {
            throw ImagingError(.decodeFailed, path: path, "image has \(current.bands) bands; only grey, RGB and RGBA are handled")
        }
        return current
    }

    /// Encodes with the saver of `format`; `keepMetadata` false strips EXIF, XMP and ICC.
    ///
    /// PNG is always lossless and stripped; `pngCompression` (0-9) trades speed for size, and `pngFilter` is
    /// libpng's row filter (none, libvips' default, suits masks; photos compress better with others).
    static func encode(
        _ image: VipsImageRef, format: ImageFormat, quality: Int, keepMetadata: Bool, pngCompression: Int32 = 6,
        pngFilter: VipsForeignPngFilter = VIPS_FOREIGN_PNG_FILTER_NONE, path: String? = nil
    ) throws -> [UInt8] {
        let quality = Int32(min(100, max(1, quality)))
        let strip: gboolean = keepMetadata ? 0 : 1
        return try Vips.buffer(path: path, "cannot encode \(format.rawValue.uppercased())") { buffer, length in
            switch format {
            case .png: ds_vips_pngsave_buffer(image.pointer, buffer, length, pngCompression, pngFilter)
            case .jpeg: ds_vips_jpegsave_buffer(image.pointer, buffer, length, quality, strip)
            case .webp: ds_vips_webpsave_buffer(image.pointer, buffer, length, quality, 0, strip)
            case .heic, .heif: ds_vips_heifsave_buffer(image.pointer, buffer, length, quality, 0, strip)
            }
        }
    }
}
