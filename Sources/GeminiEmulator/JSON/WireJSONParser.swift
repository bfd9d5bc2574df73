import Foundation

/// Reads JSON as leniently as Google's front end does.
///
/// Besides RFC 8259 it accepts single-quoted strings and trailing commas, both of which
/// the real service takes (cookbook REST notebooks send them and get 200s).
struct WireJSONParser {
    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ data: Data) throws(WireJSONSyntaxError) -> WireJSON {
        var parser = WireJSONParser(bytes: [UInt8](data))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != parser.bytes.count {
            throw WireJSONSyntaxError(reason: "Unexpected token.", offset: parser.index)
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(WireJSONSyntaxError) -> WireJSON {
        guard depth < 200 else { throw WireJSONSyntaxError(reason: "Nesting too deep.", offset: index) }
        guard index < bytes.count else { throw WireJSONSyntaxError(reason: "Unexpected end of input.", offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        default: return try parseNumber()
        }
    }

    private mutating func expectWord(_ word: String) throws(WireJSONSyntaxError) {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw WireJSONSyntaxError(reason: "Unexpected token.", offset: index)
        }
        index += utf8.count
    }

    private mutating func parseObject(depth: Int) throws(WireJSONSyntaxError) -> WireJSON {
        index += 1
        var pairs: [(String, WireJSON)] = []
        skipWhitespace()
        while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
            guard bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw WireJSONSyntaxError(reason: "Expected a field name.", offset: index)
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw WireJSONSyntaxError(reason: "Expected : after a field name.", offset: index)
            }
            index += 1
            skipWhitespace()
            pairs.append((key, try parseValue(depth: depth + 1)))
            if !consumeComma() { break }
        }
        try expectClosing(UInt8(ascii: "}"), reason: "Expected , or } in an object.")
        return .object(pairs)
    }

    private mutating func parseArray(depth: Int) throws(WireJSONSyntaxError) -> WireJSON {
        index += 1
        var items: [WireJSON] = []
        skipWhitespace()
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
            items.append(try parseValue(depth: depth + 1))
            if !consumeComma() { break }
        }
        try expectClosing(UInt8(ascii: "]"), reason: "Expected , or ] in a list.")
        return .array(items)
    }

    /// After a member or item: skips whitespace and a `,` (and the whitespace after it); false when there is none.
    private mutating func consumeComma() -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return false }
        index += 1
        skipWhitespace()
        return true
    }

    /// Consumes the closing `}` or `]` of an object or list, or throws `reason`.
    private mutating func expectClosing(_ byte: UInt8, reason: String) throws(WireJSONSyntaxError) {
        guard index < bytes.count, bytes[index] == byte else {
            throw WireJSONSyntaxError(reason: reason, offset: index)
        }
        index += 1
    }

    private mutating func parseString() throws(WireJSONSyntaxError) -> String {
        let quote = bytes[index]
        index += 1
        let start = index
        // Fast path for long strings without escapes (inline base64 images): memchr, not a loop.
        index = Self.scan(bytes, from: start, until: quote)
        guard index < bytes.count else { throw WireJSONSyntaxError(reason: "Unterminated string.", offset: start) }
        if bytes[index] == quote {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                buffer.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "u"): buffer.append(contentsOf: Array(try parseUnicodeEscape().utf8))
            default: buffer.append(escaped)
            }
        }
        throw WireJSONSyntaxError(reason: "Unterminated string.", offset: start)
    }

    /// Index of the first `quote` or backslash at or after `start` (`bytes.count` if none).
    private static func scan(_ bytes: [UInt8], from start: Int, until quote: UInt8) -> Int {
        bytes.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, start < buffer.count else { return buffer.count }
            let length = buffer.count - start
            let quoteAt = memchr(base + start, Int32(quote), length).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
            let limit = (quoteAt ?? buffer.count) - start
            let escapeAt =
                limit > 0
                ? memchr(base + start, Int32(UInt8(ascii: "\\")), limit).map {
                    UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base
                }
                : nil
            return escapeAt ?? quoteAt ?? buffer.count
        }
    }

    private mutating func readHex4() throws(WireJSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw WireJSONSyntaxError(reason: "Bad \\u escape.", offset: index) }
        index += 4
        return value
    }

    private mutating func parseUnicodeEscape() throws(WireJSONSyntaxError) -> String {
        let high = try readHex4()
        if (0xD800..<0xDC00).contains(high), index + 6 <= bytes.count,
            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
            index += 2
            let low = try readHex4()
            let scalar = 0x10000 + ((high - 0xD800) << 10) + (low &- 0xDC00)
            return Unicode.Scalar(scalar).map { String($0) } ?? "\u{FFFD}"
        }
        return Unicode.Scalar(high).map { String($0) } ?? "\u{FFFD}"
    }

    private mutating func parseNumber() throws(WireJSONSyntaxError) -> WireJSON {
        let start = index
        var isInteger = true
        while index < bytes.count {
            let byte = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .int(value) }
        if let value = Double(text), !text.isEmpty { return .double(value) }
        throw WireJSONSyntaxError(reason: "Unexpected token.", offset: start)
    }
}
