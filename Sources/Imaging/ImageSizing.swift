/// Picks the pixel size of prepared copies; never larger than the upright original.
public enum ImageSizing {
    /// The upright size `resolution` asks for, for a picture upright at `width` x `height`.
    public static func targetSize(width: Int, height: Int, resolution: Resolution) -> (width: Int, height: Int) {
        switch resolution {
        case .original: (width, height)
        case .auto: autoSize(width: width, height: height)
        case .maxSide(let side): scaled(width: width, height: height, by: Double(max(1, side)) / Double(max(width, height)))
        }
    }

    /// The largest size at most tiles-per-side x 768 px on each side whose tile count is the original's.
    ///
    /// Each tile is seen at 768 x 768, so more pixels buy the model nothing. When rounding would
    /// change the tile count the size is nudged down a few pixels; failing that, the original stays.
    public static func autoSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let grid = ImageTokens.grid(width: width, height: height)
        let tiles = grid.columns * grid.rows
        let scale = min(
            Double(grid.columns * ImageTokens.tileSide) / Double(width),
            Double(grid.rows * ImageTokens.tileSide) / Double(height))
        guard tiles > 1, scale < 1 else { return (width, height) }
        let longSide = Double(max(width, height))
        let start = Int((longSide * scale).rounded(.down))
        for side in stride(from: start, to: max(0, start - 64), by: -1) {
            let candidate = scaled(width: width, height: height, by: Double(side) / longSide)
            if ImageTokens.tiles(width: candidate.width, height: candidate.height) == tiles { return candidate }
        }
        return (width, height)
    }

    /// Both sides times `factor` (capped at 1: never upscale), rounded, at least 1 px.
    static func scaled(width: Int, height: Int, by factor: Double) -> (width: Int, height: Int) {
        guard factor < 1 else { return (width, height) }
        return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
    }
}
