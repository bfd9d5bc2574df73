/// `[images]`: guards for image preparation.
public struct ImageSettings: Sendable, Equatable {
    /// Images above this many pixels are refused before decoding. Default 100 megapixels.
    public var maxPixels: Int = 100_000_000
    public init() {}
}
