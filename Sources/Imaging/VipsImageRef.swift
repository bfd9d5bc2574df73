import CVips

/// Owns one reference to a `VipsImage`; used only inside the call that made it, never shared.
final class VipsImageRef {
    let pointer: UnsafeMutablePointer<VipsImage>

    /// Takes over the caller's reference.
    init(taking pointer: UnsafeMutablePointer<VipsImage>) {
        self.pointer = pointer
    }

    deinit {
        g_object_unref(pointer)
    }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
    var bands: Int { Int(vips_image_get_bands(pointer)) }
    var bandFormat: VipsBandFormat { vips_image_get_format(pointer) }
    var interpretation: VipsInterpretation { vips_image_get_interpretation(pointer) }
    var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    /// EXIF orientation 1-8 (1 when absent), as libvips parsed it.
    var orientation: Int { Int(vips_image_get_orientation(pointer)) }
}

/// Owns one reference to a `VipsSource` (a file descriptor or a memory area libvips reads from).
final class VipsSourceRef {
    let pointer: UnsafeMutablePointer<VipsSource>

    init(taking pointer: UnsafeMutablePointer<VipsSource>) {
        self.pointer = pointer
    }

    deinit {
        g_object_unref(pointer)
    }
}

/// Calls into libvips and turns their failures into `ImagingError`s.
enum Vips {
    /// Returns and clears libvips' error buffer (it is process-wide, so read it right after the failure).
    static func takeErrorText() -> String {
        let text = String(cString: vips_error_buffer())
        vips_error_clear()
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Runs an operation that produces an image through an out-parameter (0 on success).
    static func image(
        _ code: ImagingError.Code, path: String?, _ what: String,
        _ operation: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32
    ) throws -> VipsImageRef {
        var out: UnsafeMutablePointer<VipsImage>?
        let status = operation(&out)
        guard status == 0, let out else {
            if let out { g_object_unref(out) }
            throw ImagingError(code, path: path, what, vipsDetail: takeErrorText())
        }
        return VipsImageRef(taking: out)
    }

    /// Runs a saver that fills a g_malloc'd buffer, and copies the bytes out.
    static func buffer(
        path: String?, _ what: String,
        _ operation: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32
    ) throws -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status = operation(&buffer, &length)
        defer { g_free(buffer) }
        guard status == 0, let buffer else {
            // Pipelines are lazy: decoding runs inside the saver, so a cut-off input fails here.
            let detail = takeErrorText()
            if ImageLoader.isTruncation(detail) {
                throw ImagingError(.truncated, path: path, "image data ends early; the file may still be being written", vipsDetail: detail)
            }
            throw ImagingError(.encodeFailed, path: path, what, vipsDetail: detail)
        }
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: length))
    }
}
