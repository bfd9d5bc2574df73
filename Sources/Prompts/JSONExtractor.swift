import JSONModel

/// What `JSONExtractor` found in a reply.
public struct ExtractedJSON: Sendable, Equatable {
    /// The JSON value, or nil when the reply holds none (or only a cut-off one with no complete item).
    public var value: JSONValue?
    /// The JSON came from inside a ``` code fence.
    public var wasFenced: Bool
    /// Text other than whitespace (and the fence) surrounds the JSON.
    public var hadProse: Bool
    /// The JSON was cut off before its end.
    public var truncated: Bool
    /// When truncated: how many complete elements of the outermost array were recovered.
    public var recoveredItems: Int

    public init(value: JSONValue?, wasFenced: Bool, hadProse: Bool, truncated: Bool, recoveredItems: Int) {
        self.value = value
        self.wasFenced = wasFenced
        self.hadProse = hadProse
        self.truncated = truncated
        self.recoveredItems = recoveredItems
    }
}

/// Finds the JSON in a model reply: bare, inside a ```json (or ```) fence, or with prose around it.
///
/// Fenced blocks are tried first, in order (an unclosed fence runs to the end of the text);
/// then the whole text. Within a region, each `[` or `{` is tried as a start until one parses.
/// A value cut off at the end of the text keeps every complete item of its outermost array.
public enum JSONExtractor {
    /// Starts tried per region before giving up, so text full of brackets costs bounded time.
    static let maxCandidates = 200

    public static func extract(from text: String) -> ExtractedJSON {
        let bytes = Array(text.utf8)
        var truncatedFallback: ExtractedJSON?
        for fence in CodeFence.all(in: bytes) {
            if let found = search(bytes: bytes, region: fence.content, fence: fence) {
                if found.value != nil || found.truncated == false { return found }
                truncatedFallback = truncatedFallback ?? found
            }
        }
        if let found = search(bytes: bytes, region: 0..<bytes.count, fence: nil), found.value != nil {
            return found
        }
        return truncatedFallback
            ?? ExtractedJSON(
                value: nil, wasFenced: false, hadProse: bytes.contains { !isWhitespace($0) },
                truncated: false, recoveredItems: 0)
    }

    /// The first parseable value in `region`, or the value cut off by the region's end (its
    /// complete items recovered, or value nil when none are complete).
    private static func search(bytes: [UInt8], region: Range<Int>, fence: CodeFence?) -> ExtractedJSON? {
        var tried = 0
        var offset = region.lowerBound
        while offset < region.upperBound, tried < maxCandidates {
            let byte = bytes[offset]
            guard byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") else {
                offset += 1
                continue
            }
            tried += 1
            var parser = LenientJSONParser(bytes: bytes, start: offset, end: region.upperBound)
            do {
                let value = try parser.parseValue()
                return ExtractedJSON(
                    value: value, wasFenced: fence != nil,
                    hadProse: hasProse(bytes: bytes, json: offset..<parser.position, region: region, fence: fence),
                    truncated: false, recoveredItems: 0)
            } catch .endOfInput {
                // The value runs to the end of the region: every later bracket is inside it.
                let prose = hasProse(bytes: bytes, json: offset..<region.upperBound, region: region, fence: fence)
                let recovered = JSONTruncationRecovery.recover(bytes: bytes, start: offset, end: region.upperBound)
                return ExtractedJSON(
                    value: recovered?.value, wasFenced: fence != nil, hadProse: prose,
                    truncated: true, recoveredItems: recovered?.items ?? 0)
            } catch {
                // Not JSON from here (prose such as "[see below]"): try the next bracket.
            }
            offset += 1
        }
        return nil
    }

    /// Whether anything but whitespace lies outside `json` (and outside the fence markers).
    private static func hasProse(bytes: [UInt8], json: Range<Int>, region: Range<Int>, fence: CodeFence?) -> Bool {
        var outside: [Range<Int>] = [region.lowerBound..<json.lowerBound, json.upperBound..<region.upperBound]
        if let fence {
            outside.append(0..<fence.opening.lowerBound)
            outside.append(fence.closing.upperBound..<bytes.count)
        }
        return outside.contains { range in bytes[range].contains { !isWhitespace($0) } }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// A ``` fenced block: the opening marker with its language tag, the content, the closing marker.
struct CodeFence {
    var opening: Range<Int>
    var content: Range<Int>
    /// Empty at the end of the text when the fence was never closed (a cut-off reply).
    var closing: Range<Int>

    /// Every fenced block in order.
    static func all(in bytes: [UInt8]) -> [CodeFence] {
        var fences: [CodeFence] = []
        var offset = 0
        while let open = marker(in: bytes, from: offset) {
            var contentStart = open.upperBound
            while contentStart < bytes.count, isTagByte(bytes[contentStart]) {
                contentStart += 1
            }
            let close = marker(in: bytes, from: contentStart) ?? bytes.count..<bytes.count
            fences.append(
                CodeFence(
                    opening: open.lowerBound..<contentStart, content: contentStart..<close.lowerBound, closing: close))
            offset = close.upperBound
            if close.isEmpty { break }
        }
        return fences
    }

    private static func marker(in bytes: [UInt8], from start: Int) -> Range<Int>? {
        let tick = UInt8(ascii: "`")
        var offset = start
        while offset + 2 < bytes.count {
            if bytes[offset] == tick, bytes[offset + 1] == tick, bytes[offset + 2] == tick {
                var markerEnd = offset + 3
                while markerEnd < bytes.count, bytes[markerEnd] == tick { markerEnd += 1 }
                return offset..<markerEnd
            }
            offset += 1
        }
        return nil
    }

    /// Letters, digits, `-`, `_` and `+` of a language tag such as `json` or `json5`.
    private static func isTagByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"):
            true
        default:
            false
        }
    }
}
