/// Token counts the emulator reports: its `usageMetadata` is the truth its clients see.
enum TokenCounter {
    /// About four characters per token, at least one for non-empty text.
    static func text(_ text: String) -> Int {
        let count = text.count
        return count == 0 ? 0 : (count + 3) / 4
    }

    /// The documented image rule: 258 when both sides are at most 384 px, else 258 per
    /// tile, with tile unit `floor(min(w, h) / 1.5)` and `ceil(w/unit) * ceil(h/unit)` tiles.
    static func image(width: Int, height: Int) -> Int {
        if width <= 384 && height <= 384 { return 258 }
        let unit = max(1, Int(Double(min(width, height)) / 1.5))
        let columns = (width + unit - 1) / unit
        let rows = (height + unit - 1) / unit
        return columns * rows * 258
    }

    /// An image's cost under a media resolution (`MEDIA_RESOLUTION_LOW` 64, `MEDIUM` 256,
    /// otherwise the tile rule); an explicit per-part `numTokens` wins.
    static func image(width: Int, height: Int, resolution: String?, explicitTokens: Int?) -> Int {
        if let explicitTokens, explicitTokens > 0 { return explicitTokens }
        switch resolution {
        case "MEDIA_RESOLUTION_LOW": return 64
        case "MEDIA_RESOLUTION_MEDIUM": return 256
        default: return image(width: width, height: height)
        }
    }

    /// Rough cost of non-image media, by size: audio at 32 kbit/s and 25 tokens/s, other
    /// media 258 tokens per 100 kB. The emulator does not decode audio, video or PDF.
    static func media(mimeType: String, byteCount: Int) -> (modality: String, tokens: Int) {
        if mimeType.hasPrefix("audio/") { return ("AUDIO", max(25, byteCount / 4000 * 25)) }
        if mimeType.hasPrefix("video/") { return ("VIDEO", max(258, byteCount / 100_000 * 258)) }
        if mimeType.hasPrefix("text/") { return ("TEXT", max(1, byteCount / 4)) }
        return ("DOCUMENT", max(258, byteCount / 100_000 * 258))
    }
}
