/// `[images]`: guards for image preparation.
public struct ImageSettings: Sendable, Equatable {
    /// Images above this many pixels are refused before decoding. Default 100 megapixels.
    public var maxPixels: Int = 100_000_000
    /// Files above this many bytes are refused from their `stat` size, never hashed, read or decoded.
    public var maxFileBytes: Int64 = ImageSettings.defaultMaxFileBytes
    /// The default of ``maxFileBytes``: 200 MB.
    public static let defaultMaxFileBytes: Int64 = 200_000_000
    public init() {}
}
