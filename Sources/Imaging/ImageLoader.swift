import CVips

/// Opens encoded images with the libvips loader of their sniffed format, never a guessed one.
enum ImageLoader {
    /// Loads lazily: only the header is read until pixels are asked for.
    ///
    /// `failOn` `VIPS_FAIL_ON_TRUNCATED` makes a cut-off file an error instead of grey pixels.
    static func load(
        _ source: VipsSourceRef, format: ImageFormat, path: String?, size: Int,
        failOn: VipsFailOn = VIPS_FAIL_ON_TRUNCATED
    ) throws -> VipsImageRef {
        var out: UnsafeMutablePointer<VipsImage>?
        let status: Int32 =
            switch format {
            case .jpeg: ds_vips_jpegload_source(source.pointer, &out, failOn)
            case .png: ds_vips_pngload_source(source.pointer, &out, failOn)
            case .webp: ds_vips_webpload_source(source.pointer, &out, failOn)
            case .heic, .heif: ds_vips_heifload_source(source.pointer, &out, failOn)
            }
        guard status == 0, let out else {
            if let out { g_object_unref(out) }
            throw failure(format: format, path: path, size: size, detail: Vips.takeErrorText())
        }
        return VipsImageRef(taking: out)
    }

    /// Names a load failure: truncation when libvips says so, else a decode failure.
    static func failure(format: ImageFormat, path: String?, size: Int, detail: String) -> ImagingError {
        if isTruncation(detail) {
            return ImagingError(
                .truncated, path: path,
                "\(format.rawValue.uppercased()) data ends early (\(size) bytes); the file may still be being written",
                vipsDetail: detail)
        }
        return ImagingError(.decodeFailed, path: path, "cannot decode this \(format.rawValue.uppercased()) image", vipsDetail: detail)
    }

    /// True when libvips' error text says the data ended early.
    static func isTruncation(_ detail: String) -> Bool {
        let lowered = detail.lowercased()
        let hints = ["truncat", "premature", "end of file", "unexpected end", "not enough", "eof", "short read", "out of data"]
        return hints.contains(where: lowered.contains)
    }
}
