import TOMLKit

/// Reads typed values out of one TOML table, remembering which keys were read so the rest can be
/// reported as unknown, and turning every problem into a located `ConfigError`.
final class TableReader {
    let table: TOMLTable
    let path: [String]
    private let report: (String, [String]) -> Void
    private var seen: Set<String> = []

    init(_ table: TOMLTable, path: [String], report: @escaping (String, [String]) -> Void) {
        self.table = table
        self.path = path
        self.report = report
    }

    private var tableName: String { path.isEmpty ? "the top level" : "[\(path.filter { Int($0) == nil }.joined(separator: "."))]" }

    private func value(_ key: String) -> (any TOMLValueConvertible)? {
        seen.insert(key)
        return table[key]
    }

    private func fail(_ key: String, _ expected: String, _ got: any TOMLValueConvertible) {
        report("\(key) in \(tableName) must be \(expected), not a \(got.type)", path + [key])
    }

    func string(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else {
            fail(key, "a string", v)
            return nil
        }
        return s
    }

    func int(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.int else {
            fail(key, "an integer", v)
            return nil
        }
        if let range, !range.contains(n) {
            report("\(key) in \(tableName) must be between \(range.lowerBound) and \(range.upperBound), not \(n)", path + [key])
            return nil
        }
        return n
    }

    func double(_ key: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.double ?? v.int.map(Double.init) else {
            fail(key, "a number", v)
            return nil
        }
        if let range, !range.contains(d) {
            report("\(key) in \(tableName) must be between \(range.lowerBound) and \(range.upperBound), not \(d)", path + [key])
            return nil
        }
        return d
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.bool else {
            fail(key, "true or false", v)
            return nil
        }
        return b
    }

    func strings(_ key: String) -> [String]? {
        guard let v = value(key) else { return nil }
        guard let array = v.array else {
            fail(key, "an array of strings", v)
            return nil
        }
        var out: [String] = []
        for item in array {
            guard let s = item.string else {
                fail(key, "an array of strings", item)
                return nil
            }
            out.append(s)
        }
        return out
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let c = T(rawValue: s) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            report("\(key) in \(tableName) must be one of \(allowed), not \"\(s)\"", path + [key])
            return nil
        }
        return c
    }

    /// A duration written as seconds (integer) or as a string such as `"90s"`, `"30m"`, `"1h"`, `"500ms"`.
    func duration(_ key: String) -> Duration? {
        guard let v = value(key) else { return nil }
        if let n = v.int, n >= 0 { return .seconds(n) }
        if let s = v.string, let d = Self.parseDuration(s) { return d }
        report("\(key) in \(tableName) must be a duration such as 3600, \"90s\", \"30m\" or \"1h\"", path + [key])
        return nil
    }

    static func parseDuration(_ s: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            guard let n = Double(s.dropLast(suffix.count)), n >= 0, n.isFinite else { return nil }
            return .milliseconds(Int64(n * factor * 1000))
        }
        return nil
    }

    /// Raw access for values with several accepted types.
    func raw(_ key: String) -> (any TOMLValueConvertible)? { value(key) }

    /// Reports every key that no accessor asked for.
    func rejectUnknown() {
        for key in table.keys where !seen.contains(key) {
            report("unknown key \"\(key)\" in \(tableName)", path + [key])
        }
    }
}
