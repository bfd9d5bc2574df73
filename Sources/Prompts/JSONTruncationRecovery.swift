import JSONModel

/// Recovers the complete items of a JSON value that was cut off before its end (MAX_TOKENS).
///
/// Scans from the opening bracket tracking strings, escapes and nesting, and remembers the last
/// point where an element of the outermost array ended. The text up to that point, closed with
/// the brackets still open there, is parsed again. Items cut in the middle are never kept.
enum JSONTruncationRecovery {
    struct Recovered {
        var value: JSONValue
        /// How many elements of the outermost array survived.
        var items: Int
    }

    /// The recovered value, or nil when no complete element precedes the cut.
    static func recover(bytes: [UInt8], start: Int, end: Int) -> Recovered? {
        guard let cut = lastSafePoint(bytes: bytes, start: start, end: end) else { return nil }
        var closed = Array(bytes[start..<cut.offset])
        closed.append(contentsOf: cut.closers.reversed())
        var parser = LenientJSONParser(bytes: closed)
        guard let value = try? parser.parseValue() else { return nil }
        return Recovered(value: value, items: cut.items)
    }

    private struct SafePoint {
        var offset: Int
        var closers: [UInt8]
        var items: Int
    }

    private static func lastSafePoint(bytes: [UInt8], start: Int, end: Int) -> SafePoint? {
        var closers: [UInt8] = []
        var outermostArrayDepth: Int?
        var outermostArrayClosed = false
        var items = 0
        var best: SafePoint?
        var inString = false
        var escaped = false
        var lastSignificant: UInt8 = 0
        for offset in start..<end {
            let byte = bytes[offset]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    lastSignificant = byte
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                closers.append(byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}"))
                if byte == UInt8(ascii: "["), outermostArrayDepth == nil {
                    outermostArrayDepth = closers.count
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard closers.last == byte else { return best }
                closers.removeLast()
                if closers.isEmpty { return best }
                if let depth = outermostArrayDepth, !outermostArrayClosed {
                    if closers.count == depth {
                        items += 1
                        best = SafePoint(offset: offset + 1, closers: closers, items: items)
                    } else if closers.count < depth {
                        outermostArrayClosed = true
                        best = SafePoint(offset: offset + 1, closers: closers, items: items)
                    }
                }
            case UInt8(ascii: ","):
                if let depth = outermostArrayDepth, !outermostArrayClosed, closers.count == depth,
                    lastSignificant != UInt8(ascii: "]"), lastSignificant != UInt8(ascii: "}"),
                    lastSignificant != UInt8(ascii: "[")
                {
                    items += 1
                    best = SafePoint(offset: offset, closers: closers, items: items)
                }
            default:
                break
            }
            if byte > 0x20 { lastSignificant = byte }
        }
        return best
    }
}
