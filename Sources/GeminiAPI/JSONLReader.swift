import Foundation

/// Walks a JSON Lines file (a batch's results, possibly hundreds of MB) one line at a time, reading it in
/// 64 KiB pieces so the whole file is never in memory.
///
/// Blank lines are skipped. A last line with no newline is still returned (a file cut off ends in one:
/// decoding it fails, and the caller says so). The reader is not thread-safe: one task uses it at a time.
public final class JSONLReader {
    /// A line longer than this is an error, not an allocation.
    public let maxLineBytes: Int
    /// The 1-based number of the line last returned by ``next()``.
    public private(set) var lineNumber = 0
    private let handle: FileHandle
    private let path: String
    private var buffer = Data()
    private var start = 0
    private var atEnd = false
    private static let pieceSize = 65_536

    /// Opens `path` for reading; throws when it cannot be opened.
    public init(path: String, maxLineBytes: Int = 64 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw JSONLError(path: path, line: 0, message: "cannot open the file")
        }
        self.handle = handle
        self.path = path
        self.maxLineBytes = maxLineBytes
    }

    deinit { try? handle.close() }

    /// The next non-blank line without its newline (and a trailing `\r`), nil at the end of the file.
    public func next() throws -> Data? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                if line.last == 0x0D { line = line.dropLast() }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return Data(line)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
                return Data(line)
            }
            if buffer.count - start > maxLineBytes {
                throw JSONLError(path: path, line: lineNumber + 1, message: "the line is longer than \(maxLineBytes) bytes")
            }
            try fill()
        }
    }

    /// Drops what was consumed and appends the next piece of the file.
    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(buffer.startIndex..<start)
            buffer = Data(buffer)
            start = 0
        }
        let piece: Data?
        do {
            piece = try handle.read(upToCount: Self.pieceSize)
        } catch {
            throw JSONLError(path: path, line: lineNumber + 1, message: "cannot read: \(error)")
        }
        if let piece, !piece.isEmpty { buffer.append(piece) } else { atEnd = true }
    }
}

extension BatchResultLine {
    /// One line of a results file; a line that is not a result object throws ``JSONLError``.
    public static func decode(_ line: Data, path: String, number: Int) throws -> BatchResultLine {
        do {
            return try JSONDecoder().decode(BatchResultLine.self, from: line)
        } catch {
            let shown = String(decoding: line.prefix(80), as: UTF8.self)
            throw JSONLError(path: path, line: number, message: "not a result line (\(shown)…): \(error)")
        }
    }
}
