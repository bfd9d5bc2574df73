/// The thinking control actually sent for a prompt, recorded in the sidecar as `thinking`.
public enum SentThinking: Sendable, Hashable, Codable {
    /// `thinkingConfig.thinkingBudget` (2.x).
    case budget(Int)
    /// `thinkingConfig.thinkingLevel` (3.x).
    case level(ThinkingLevel)

    private enum Keys: String, CodingKey { case budget, level }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .budget(let n): try c.encode(n, forKey: .budget)
        case .level(let l): try c.encode(l, forKey: .level)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let level = try c.decodeIfPresent(ThinkingLevel.self, forKey: .level) {
            self = .level(level)
        } else {
            self = .budget(try c.decode(Int.self, forKey: .budget))
        }
    }
}
