/// Long-side caps, in pixels, for `resolution = "auto"` on models whose image cost does not grow with
/// pixels, per media resolution. Assumptions, not documented limits: `[api] auto_max_side` changes them.
public struct AutoSideCaps: Sendable, Equatable {
    public var low = 768
    public var medium = 1024
    public var high = 1536
    public var ultraHigh = 3072

    public init() {}
}
