import JSONModel

/// A small, lenient JSON parser over UTF-8 bytes.
///
/// Parses one value starting at `position` and stops right after it, so text may follow.
/// Lenient where models are sloppy: trailing commas, raw control characters inside strings,
/// `NaN`, `Infinity` and `-Infinity`, and a leading `+` on numbers.
struct LenientJSONParser {
    /// Deeper nesting is rejected instead of recursing without bound on hostile input.
    static let maxDepth = 256

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    /// Parses the value at the current position; afterwards `position` is just past it.
    mutating func parseValue() throws(LenientJSONError) -> JSONValue {
        try value(depth: 0)
    }

    private mutating func value(depth: Int) throws(LenientJSONError) -> JSONValue {
        skipWhitespace()
        guard position < end else { throw .endOfInput }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "N"):
            try literal("NaN")
            return .number(.nan)
        case UInt8(ascii: "I"):
            try literal("Infinity")
            return .number(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw .unexpected(offset: position)
        }
    }

    private mutating func object(depth: Int) throws(LenientJSONError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw .tooDeep(offset: position) }
        position += 1
        var members: [JSONValue.Member] = []
        while true {
            skipWhitespace()
            guard position < end else { throw .endOfInput }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            guard bytes[position] == UInt8(ascii: "\"") else { throw .unexpected(offset: position) }
            let key = try string()
            skipWhitespace()
            guard position < end else { throw .endOfInput }
            guard bytes[position] == UInt8(ascii: ":") else { throw .unexpected(offset: position) }
            position += 1
            members.append(JSONValue.Member(key: key, value: try value(depth: depth)))
            guard try separatorOrClose(UInt8(ascii: "}")) else {
                return .object(members)
            }
        }
    }

    private mutating func array(depth: Int) throws(LenientJSONError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw .tooDeep(offset: position) }
        position += 1
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            guard position < end else { throw .endOfInput }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            elements.append(try value(depth: depth))
            guard try separatorOrClose(UInt8(ascii: "]")) else {
                return .array(elements)
            }
        }
    }

    /// After a member or element: consumes `,` (returns true: more may follow) or `close` (returns false).
    private mutating func separatorOrClose(_ close: UInt8) throws(LenientJSONError) -> Bool {
        skipWhitespace()
        guard position < end else { throw .endOfInput }
        switch bytes[position] {
        case UInt8(ascii: ","):
            position += 1
            return true
        case close:
            position += 1
            return false
        default:
            throw .unexpected(offset: position)
        }
    }

    private mutating func literal(_ word: String) throws(LenientJSONError) {
        for byte in word.utf8 {
            guard position < end else { throw .endOfInput }
            guard bytes[position] == byte else { throw .unexpected(offset: position) }
            position += 1
        }
    }

    private mutating func number() throws(LenientJSONError) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
            guard position < end else { throw .endOfInput }
            if bytes[position] == UInt8(ascii: "I") {
                try literal("Infinity")
                return bytes[start] == UInt8(ascii: "-") ? -.infinity : .infinity
            }
        }
        while position < end, Self.isNumberByte(bytes[position]) {
            position += 1
        }
        // A number running into the end of input may have lost digits.
        guard position < end else { throw .endOfInput }
        var text = String(decoding: bytes[start..<position], as: UTF8.self)
        if text.hasPrefix("+") { text.removeFirst() }
        guard let number = Double(text), !text.isEmpty, text.last?.isNumber == true else {
            throw .unexpected(offset: start)
        }
        return number
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "-"), UInt8(ascii: "+"):
            true
        default:
            false
        }
    }

    private mutating func string() throws(LenientJSONError) -> String {
        position += 1
        var decoded: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        while true {
            guard position < end else { throw .endOfInput }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                if pendingHighSurrogate != nil { Self.appendReplacement(to: &decoded) }
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                if pendingHighSurrogate != nil {
                    Self.appendReplacement(to: &decoded)
                    pendingHighSurrogate = nil
                }
                decoded.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < end else { throw .endOfInput }
            let escape = bytes[position]
            position += 1
            if escape == UInt8(ascii: "u") {
                let unit = try hexQuad()
                pendingHighSurrogate = Self.appendUTF16(unit, pendingHigh: pendingHighSurrogate, to: &decoded)
                continue
            }
            if pendingHighSurrogate != nil {
                Self.appendReplacement(to: &decoded)
                pendingHighSurrogate = nil
            }
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            default: throw .unexpected(offset: position - 1)
            }
        }
    }

    private mutating func hexQuad() throws(LenientJSONError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard position < end else { throw .endOfInput }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .unexpected(offset: position)
            }
            unit = unit << 4 | digit
            position += 1
        }
        return unit
    }

    /// Appends one `\uXXXX` code unit, pairing surrogates; returns a high surrogate still waiting for its pair.
    private static func appendUTF16(_ unit: UInt32, pendingHigh: UInt32?, to decoded: inout [UInt8]) -> UInt32? {
        switch unit {
        case 0xD800...0xDBFF:
            if pendingHigh != nil { appendReplacement(to: &decoded) }
            return unit
        case 0xDC00...0xDFFF:
            guard let high = pendingHigh else {
                appendReplacement(to: &decoded)
                return nil
            }
            appendScalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &decoded)
            return nil
        default:
            if pendingHigh != nil { appendReplacement(to: &decoded) }
            appendScalar(unit, to: &decoded)
            return nil
        }
    }

    private static func appendScalar(_ value: UInt32, to decoded: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        UTF8.encode(scalar) { decoded.append($0) }
    }

    private static func appendReplacement(to decoded: inout [UInt8]) {
        appendScalar(0xFFFD, to: &decoded)
    }

    private mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}
