/// Bounds on what one spatial reply may make the daemon do, so a hostile reply stays cheap.
public struct SpatialLimits: Sendable, Equatable {
    /// Items read from one reply; the rest are ignored with a note. Default 1,000.
    public var maxItems: Int
    /// Characters (grapheme clusters) kept of one label; longer labels are cut with a note. Default 500.
    public var maxLabelLength: Int
    /// Per-item notes kept; further ones are counted in one summary note. Default 50.
    public var maxItemNotes: Int
    /// Length of one base64 mask string (bytes). Default 2 MB.
    public var maxMaskBase64Length: Int
    /// Largest side of a mask PNG accepted for decoding (read from its header first). Default 4,096.
    public var maxMaskSide: Int
    /// Total pixels of all decoded masks of one reply. Default 256 megapixels.
    public var maxTotalMaskPixels: Int
    /// Points of one item's polygons. Default 10,000.
    public var maxPolygonPoints: Int
    /// Row crossings (edge x pixel row) of all polygons of one reply, what rasterising them costs in time and
    /// memory: a few zigzag edges across a tall box must not cost gigabytes. Default 8 million.
    public var maxPolygonCrossings: Int

    public init(
        maxItems: Int = 1_000,
        maxLabelLength: Int = 500,
        maxItemNotes: Int = 50,
        maxMaskBase64Length: Int = 2 * 1024 * 1024,
        maxMaskSide: Int = 4_096,
        maxTotalMaskPixels: Int = 256 * 1024 * 1024,
        maxPolygonPoints: Int = 10_000,
        maxPolygonCrossings: Int = 8_000_000
    ) {
        self.maxItems = maxItems
        self.maxLabelLength = maxLabelLength
        self.maxItemNotes = maxItemNotes
        self.maxMaskBase64Length = maxMaskBase64Length
        self.maxMaskSide = maxMaskSide
        self.maxTotalMaskPixels = maxTotalMaskPixels
        self.maxPolygonPoints = maxPolygonPoints
        self.maxPolygonCrossings = maxPolygonCrossings
    }
}

/// Collects notes for the sidecar, keeping at most a given number of per-item notes.
struct ReplyNotes {
    private(set) var reply: [String] = []
    private var items: [String] = []
    private var suppressed = 0
    let maxItemNotes: Int

    init(maxItemNotes: Int) {
        self.maxItemNotes = maxItemNotes
    }

    /// A note about the reply as a whole; always kept.
    mutating func add(_ note: String) {
        reply.append(note)
    }

    /// A note about one item (`index` is 1-based, as a person counts).
    mutating func add(item index: Int, _ note: String) {
        if items.count < maxItemNotes {
            items.append("item \(index): \(note)")
        } else {
            suppressed += 1
        }
    }

    var all: [String] {
        var notes = reply + items
        if suppressed > 0 { notes.append("\(suppressed) more item notes not shown") }
        return notes
    }
}
