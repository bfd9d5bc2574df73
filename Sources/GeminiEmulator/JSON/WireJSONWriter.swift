import Foundation

/// Writes `WireJSON` the way Google's front end does: pretty, two-space indent, keys in order.
enum WireJSONWriter {
    /// The UTF-8 text of `value`; `pretty` uses Google's two-space layout, otherwise compact.
    ///
    /// Like Google's front end it escapes `<`, `>` and `&` in strings (`\u003c`, ...).
    static func data(_ value: WireJSON, pretty: Bool = true) -> Data {
        var out = ""
        write(value, into: &out, indent: pretty ? 0 : nil, htmlSafe: true)
        if pretty { out += "\n" }
        return Data(out.utf8)
    }

    static func string(_ value: WireJSON, pretty: Bool = false) -> String {
        var out = ""
        write(value, into: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// One line with a space after each comma and colon, as models write list items:
    /// `{"box_2d": [300, 200, 600, 500], "label": "red square"}`.
    static func spacedLine(_ value: WireJSON) -> String {
        var out = ""
        write(value, into: &out, indent: nil, spaced: true)
        return out
    }

    private static func write(
        _ value: WireJSON, into out: inout String, indent: Int?, spaced: Bool = false, htmlSafe: Bool = false
    ) {
        let comma = spaced ? ", " : ","
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatDouble(d)
        case .string(let s): writeString(s, into: &out, htmlSafe: htmlSafe)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += comma }
                newline(&out, indent.map { $0 + 1 })
                write(item, into: &out, indent: indent.map { $0 + 1 }, spaced: spaced, htmlSafe: htmlSafe)
            }
            newline(&out, indent)
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (n, (key, item)) in pairs.enumerated() {
                if n > 0 { out += comma }
                newline(&out, indent.map { $0 + 1 })
                writeString(key, into: &out, htmlSafe: htmlSafe)
                out += indent == nil && !spaced ? ":" : ": "
                write(item, into: &out, indent: indent.map { $0 + 1 }, spaced: spaced, htmlSafe: htmlSafe)
            }
            newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    private static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    private static func writeString(_ s: String, into out: inout String, htmlSafe: Bool) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
