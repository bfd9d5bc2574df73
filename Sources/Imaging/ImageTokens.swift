/// Estimates what an image costs in Gemini input tokens (2.0 / 2.5 rule).
///
/// Both sides <= 384 px: one tile. Otherwise the crop unit is floor(min side / 1.5) and the image is
/// cut into ceil(width / unit) x ceil(height / unit) tiles. Each tile costs 258 tokens.
/// The response's `usageMetadata` is the truth; this is for estimates and for choosing a size.
public enum ImageTokens {
    /// Tokens per tile.
    public static let tokensPerTile = 258
    /// Both sides at or below this fit one tile.
    public static let singleTileLimit = 384
    /// The side, in pixels, at which the model sees each tile.
    public static let tileSide = 768

    /// Estimated input tokens for an image of this (upright) size.
    public static func estimate(width: Int, height: Int) -> Int {
        tiles(width: width, height: height) * tokensPerTile
    }

    /// Number of tiles the image is cut into.
    public static func tiles(width: Int, height: Int) -> Int {
        let grid = grid(width: width, height: height)
        return grid.columns * grid.rows
    }

    /// Tiles across and down.
    public static func grid(width: Int, height: Int) -> (columns: Int, rows: Int) {
        let width = max(1, width)
        let height = max(1, height)
        if width <= singleTileLimit && height <= singleTileLimit { return (1, 1) }
        let unit = max(1, Int(Double(min(width, height)) / 1.5))
        return ((width + unit - 1) / unit, (height + unit - 1) / unit)
    }
}
