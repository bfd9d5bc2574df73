import Glibc

/// File names on Linux are bytes, not text; dropsight carries paths as Strings.
///
/// A name that is not UTF-8 is carried with each stray byte written `\xHH`, and a backslash that a real
/// name has before an `x` is written `\x5C`, so every byte string has exactly one String form and comes
/// back byte for byte. That form is also what logs and sidecars show (`caf\xE9.jpg`). Strings read from
/// the file system go through `string(_:)`; strings handed to a system call go through `withCString`.
public enum PathBytes {
    /// The String form of the name or path `bytes` (no NUL inside).
    public static func string(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let length = validSequenceLength(input, at: index)
            if length == 0 {
                appendEscape(input[index], to: &output)
                index += 1
            } else if input[index] == backslash, index + 1 < input.count, input[index + 1] == lowerX {
                appendEscape(backslash, to: &output)
                index += 1
            } else {
                output.append(contentsOf: input[index..<(index + length)])
                index += length
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The String form of the NUL-terminated name at `pointer` (a `d_name`, say).
    public static func string(cString pointer: UnsafePointer<CChar>) -> String {
        string(UnsafeBufferPointer(start: pointer, count: strlen(pointer)).lazy.map { UInt8(bitPattern: $0) })
    }

    /// The bytes `path` stands for: each `\xHH` becomes the byte HH, everything else its UTF-8. Only the
    /// escapes `string(_:)` makes are read (HH from 80 to FF, or 5C), so no escape can spell `/` or NUL.
    public static func bytes(_ path: String) -> [UInt8] {
        let utf8 = Array(path.utf8)
        guard utf8.contains(backslash) else { return utf8 }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == backslash, index + 3 < utf8.count, utf8[index + 1] == lowerX,
                let high = hexValue(utf8[index + 2]), let low = hexValue(utf8[index + 3]),
                high >= 8 || high << 4 | low == backslash
            {
                output.append(high << 4 | low)
                index += 4
            } else {
                output.append(utf8[index])
                index += 1
            }
        }
        return output
    }

    /// Calls `body` with the NUL-terminated bytes `path` stands for (errno is left as `body` set it).
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
        guard path.utf8.contains(backslash) else { return path.withCString(body) }
        var terminated = bytes(path).map { CChar(bitPattern: $0) }
        terminated.append(0)
        return terminated.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The length in bytes of what `path` stands for.
    public static func byteCount(_ path: String) -> Int {
        path.utf8.contains(backslash) ? bytes(path).count : path.utf8.count
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let lowerX = UInt8(ascii: "x")

    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        output.append(contentsOf: [backslash, lowerX, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (Unicode table 3-7), 0 if there is none.
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let (length, secondRange): (Int, ClosedRange<UInt8>) =
            switch lead {
            case 0x00...0x7F: (1, 0x80...0xBF)
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0x80...0xBF)
            }
        guard length > 1 else { return length }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}

extension PathBytes {
    /// `lstat` (or `stat` when `followingLinks`) of `path`; nil with errno set when it fails.
    public static func status(of path: String, followingLinks: Bool = false) -> stat? {
        var info = stat()
        let result = withCString(path) { fstatat(AT_FDCWD, $0, &info, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW) }
        return result == 0 ? info : nil
    }

    /// True when something (a link counts when not `followingLinks`) is at `path`.
    public static func exists(_ path: String, followingLinks: Bool = false) -> Bool {
        status(of: path, followingLinks: followingLinks) != nil
    }
}
