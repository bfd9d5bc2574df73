import Foundation

/// A JSON document as the emulator reads and writes it: objects keep their key order.
///
/// Integers and fractions stay apart so int64 fields can be told from floats, and the
/// writer can put keys in the order the real service uses.
public enum WireJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([WireJSON])
    case object([(String, WireJSON)])

    public static func == (lhs: WireJSON, rhs: WireJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under `key` when this is an object (last one wins on duplicates).
    public subscript(key: String) -> WireJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last(where: { $0.0 == key })?.1
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer value; accepts numbers and decimal strings (proto3 int64 rule).
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [WireJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectPairs: [(String, WireJSON)]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// An object built from pairs, leaving out pairs whose value is nil.
    static func compactObject(_ pairs: [(String, WireJSON?)]) -> WireJSON {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }
}
