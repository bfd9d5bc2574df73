/// Turns the header lines curl hands over into the final response's header fields.
///
/// A status line (`HTTP/...`) starts a new block, so only the last block survives: the headers of
/// `100 Continue`, `103 Early Hints` or a followed redirect are dropped.
struct ResponseHeaderCollector {
    private(set) var headers: [HTTPHeader] = []

    /// Takes one raw line, with or without its CRLF.
    mutating func consume(_ rawLine: Substring) {
        let line = rawLine.trimmingLineEnd()
        if line.isEmpty { return }
        if line.hasPrefix("HTTP/") {
            headers.removeAll(keepingCapacity: true)
        } else if line.first == " " || line.first == "\t" {
            // An obsolete folded line continues the previous value.
            guard !headers.isEmpty else { return }
            headers[headers.count - 1].value += " " + line.trimmingBlanks()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingBlanks()
            let value = line[line.index(after: colon)...].trimmingBlanks()
            headers.append(HTTPHeader(String(name), String(value)))
        }
    }
}

extension Substring {
    fileprivate func trimmingLineEnd() -> Substring {
        var line = self
        while let last = line.last, last == "\r" || last == "\n" || last == "\r\n" { line.removeLast() }
        return line
    }

    fileprivate func trimmingBlanks() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
