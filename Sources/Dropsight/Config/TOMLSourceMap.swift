/// Where each key of a TOML document is written, so configuration errors can name line and column.
///
/// TOMLKit reports positions only for syntax errors; this scan of the (already valid) text records the
/// position of every `key = value` and every `[table]` header under its dotted path. Array-of-tables
/// entries get an index: `folder.0.path`. Keys inside multi-line strings are not mistaken for keys.
struct TOMLSourceMap {
    struct Position: Equatable {
        var line: Int
        var column: Int
    }
    private var positions: [String: Position] = [:]

    init(text: String) {
        var table: [String] = []
        var arrayCounts: [String: Int] = [:]
        var inMultiline: String? = nil
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine)
            if let delimiter = inMultiline {
                if line.contains(delimiter) { inMultiline = nil }
                continue
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let column = line.count - trimmed.count + 1
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[[") {
                let name = Self.keyPath(String(trimmed.dropFirst(2).prefix { $0 != "]" }))
                let joined = name.joined(separator: ".")
                let n = arrayCounts[joined, default: 0]
                arrayCounts[joined] = n + 1
                table = name + [String(n)]
                positions[table.joined(separator: ".")] = Position(line: lineNumber, column: column)
                continue
            }
            if trimmed.hasPrefix("[") {
                table = Self.keyPath(String(trimmed.dropFirst().prefix { $0 != "]" }))
                positions[table.joined(separator: ".")] = Position(line: lineNumber, column: column)
                continue
            }
            guard let eq = Self.indexOfEquals(in: trimmed) else { continue }
            let key = Self.keyPath(String(trimmed[trimmed.startIndex..<eq]))
            positions[(table + key).joined(separator: ".")] = Position(line: lineNumber, column: column)
            let value = trimmed[trimmed.index(after: eq)...].trimmingPrefixSpaces()
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                if !value.dropFirst(3).contains(delimiter) { inMultiline = delimiter }
            }
        }
    }

    /// The position of `path` (e.g. `prompt.caption.temperature`), or of its nearest written ancestor.
    func position(of path: [String]) -> Position? {
        var p = path
        while !p.isEmpty {
            if let found = positions[p.joined(separator: ".")] { return found }
            p.removeLast()
        }
        return nil
    }

    /// Splits `a."b.c".d` into its parts, unquoting quoted keys.
    static func keyPath(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "." {
                parts.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current.trimmingSpaces())
        return parts
    }

    private static func indexOfEquals(in text: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for i in text.indices {
            let ch = text[i]
            if let q = quote {
                if ch == q { quote = nil }
                continue
            }
            if ch == "\"" || ch == "'" { quote = ch } else if ch == "=" { return i }
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
    fileprivate func trimmingPrefixSpaces() -> Substring { Substring(drop { $0 == " " || $0 == "\t" }) }
}
