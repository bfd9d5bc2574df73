#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How large a copy of the image to send to the model.
public enum Resolution: Sendable, Equatable {
    /// The smallest copy that keeps the model's tile count: no side beyond tiles-per-side x 768 px.
    case auto
    /// The full stored resolution (turned upright when the file says so).
    case original
    /// The long side capped at this many pixels.
    case maxSide(Int)
}

/// The bytes to send to the model, with what they cost.
public struct PreparedImage: Sendable {
    /// Encoded image: the file's own bytes when nothing had to change, else JPEG (PNG with alpha).
    public var data: Data
    public var mimeType: String
    /// Upright width of `data`.
    public var width: Int
    /// Upright height of `data`.
    public var height: Int
    /// `ImageTokens.estimate` of the sent size.
    public var estimatedTokens: Int
    /// What the file held before preparation.
    public var originalInfo: ImageInfo

    /// True when `data` was made here (upright, resized, sRGB, no metadata), not the file's own bytes.
    public var isReencoded: Bool {
        width != originalInfo.uprightWidth || height != originalInfo.uprightHeight || originalInfo.orientation != 1
    }

    public init(data: Data, mimeType: String, width: Int, height: Int, estimatedTokens: Int, originalInfo: ImageInfo) {
        self.data = data
        self.mimeType = mimeType
        self.width = width
        self.height = height
        self.estimatedTokens = estimatedTokens
        self.originalInfo = originalInfo
    }
}
