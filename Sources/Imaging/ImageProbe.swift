/// Cheap questions about image files: which format, what size, which way up.
public enum ImageProbe {
    /// Bytes read from the start of a file for sniffing.
    public static let headerLength = 256

    /// The format the bytes start with (JPEG, PNG, WebP, HEIC/HEIF by ISO-BMFF brand), or nil.
    public static func sniff(_ header: [UInt8]) -> ImageFormat? {
        ImageSniffer.format(of: header)
    }

    /// Format, stored size, orientation and alpha of the file at `path`, reading only its header.
    ///
    /// Throws `notRegularFile` for FIFOs, devices and directories (without blocking), `truncated` for
    /// empty or cut-off files, `notAnImage` / `unsupportedFormat` for anything but the five formats.
    public static func probe(path: String) throws -> ImageInfo {
        Imaging.initialize()
        return try probe(file: try ImageFile(path: path))
    }

    /// ``probe(path:)`` of a file already open.
    public static func probe(file: ImageFile) throws -> ImageInfo {
        Imaging.initialize()
        return try probe(file).info
    }

    /// Probes an open file, keeping the lazily opened libvips image for callers that go on to decode.
    static func probe(_ file: ImageFile) throws -> (info: ImageInfo, image: VipsImageRef) {
        let format = try format(of: file)
        let image = try ImageLoader.load(try file.source(), format: format, path: file.path, size: file.size)
        guard image.width > 0, image.height > 0 else {
            throw ImagingError(.decodeFailed, path: file.path, "image header gives an empty size")
        }
        let info = ImageInfo(
            format: format, width: image.width, height: image.height,
            orientation: image.orientation, hasAlpha: image.hasAlpha)
        return (info, image)
    }

    /// The sniffed format of an open file, or the error that explains why there is none.
    static func format(of file: ImageFile) throws -> ImageFormat {
        guard file.size > 0 else {
            throw ImagingError(.truncated, path: file.path, "file is empty; it may still be being written")
        }
        let header = try file.header()
        return try format(of: header, path: file.path)
    }

    static func format(of header: [UInt8], path: String?) throws -> ImageFormat {
        if let format = sniff(header) { return format }
        if ImageSniffer.isCutSignature(header) {
            throw ImagingError(.truncated, path: path, "file ends inside the image signature (\(header.count) bytes)")
        }
        if ImageSniffer.isOtherImage(header) {
            throw ImagingError(.unsupportedFormat, path: path, "image format not accepted; use JPEG, PNG, WebP, HEIC or HEIF")
        }
        throw ImagingError(.notAnImage, path: path, "content is not a JPEG, PNG, WebP, HEIC or HEIF image")
    }
}
