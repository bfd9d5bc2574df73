import SystemPackage

/// A failure to read, decode, encode or draw an image, with the file it concerns.
public struct ImagingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that decide what to do next (skip, retry later, report).
    public enum Code: String, Sendable, Codable {
        /// The content is not an image at all (text, random bytes).
        case notAnImage
        /// An image, but not JPEG, PNG, WebP, HEIC or HEIF (GIF, TIFF, AVIF, ...).
        case unsupportedFormat
        /// Empty, or ends before the image does: often a file still being written.
        case truncated
        /// More pixels than the configured limit (decompression-bomb guard).
        case tooLarge
        /// A directory, FIFO, socket or device instead of a regular file.
        case notRegularFile
        /// A symbolic link, or a path through one: never followed inside a watched folder.
        case symbolicLink
        /// libvips could not decode the content.
        case decodeFailed
        /// libvips could not encode or draw the result.
        case encodeFailed
        /// A system call failed (open, read, stat).
        case io
    }

    public var code: Code
    /// The file concerned, when there is one.
    public var path: String?
    /// What happened, in words a person can act on.
    public var message: String
    /// The text of libvips' error buffer at the time, if any.
    public var vipsDetail: String?
    /// The `errno` of a failed system call, for `.io` and `.notRegularFile`.
    public var errno: Errno?

    public init(_ code: Code, path: String? = nil, _ message: String, vipsDetail: String? = nil, errno: Errno? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.vipsDetail = vipsDetail
        self.errno = errno
    }

    public var description: String {
        var text = "\(code.rawValue): "
        if let path { text += "\(path): " }
        text += message
        if let vipsDetail, !vipsDetail.isEmpty { text += " (libvips: \(vipsDetail))" }
        return text
    }
}
