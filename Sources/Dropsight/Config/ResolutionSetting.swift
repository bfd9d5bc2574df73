/// What to send of an image: `auto` (no more pixels than the model uses), `original`, or a long-side cap.
public enum ResolutionSetting: Sendable, Hashable {
    case auto, original
    case maxSide(Int)

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .original: return "original"
        case .maxSide(let n): return String(n)
        }
    }
}
