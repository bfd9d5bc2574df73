/// What a prompt asks of the model's thinking (`[prompt] thinking`, or the older `thinking_budget`),
/// before the model's profile turns it into what is sent.
public enum ThinkingSetting: Sendable, Hashable {
    /// As little as the model allows (`"off"`).
    case off
    /// A 3.x level (`"minimal"`, `"low"`, `"medium"`, `"high"`).
    case level(ThinkingLevel)
    /// A 2.x token budget; -1 lets the model decide (`thinking_budget`, or a number for `thinking`).
    case budget(Int)

    /// As the configuration spells it.
    public var description: String {
        switch self {
        case .off: return "off"
        case .level(let level): return level.rawValue
        case .budget(let n): return String(n)
        }
    }
}
