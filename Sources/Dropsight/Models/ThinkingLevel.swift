/// A Gemini 3.x thinking level, lowest first; sent as `thinkingLevel`.
public enum ThinkingLevel: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case minimal, low, medium, high

    public static func < (a: ThinkingLevel, b: ThinkingLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
