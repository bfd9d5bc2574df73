/// The image formats the Gemini API accepts, and so the only ones this module reads.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg, png, webp, heic, heif

    /// The MIME type sent to the API for this format.
    public var mimeType: String {
        "image/\(rawValue)"
    }
}
