import Foundation

/// Reads a JSONL file one line at a time, a megabyte at a time, without loading it whole.
struct JSONLReader: Sendable {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false

    /// Opens `path`; the open handle keeps the bytes readable if the file is deleted meanwhile.
    init(path: String) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    }

    /// The next line that is not blank (without its newline), or nil at the end.
    mutating func next() throws -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                if !Self.isBlank(line) { return Data(line) }
                continue
            }
            if atEnd {
                let rest = buffer
                buffer = Data()
                return rest.isEmpty || Self.isBlank(rest) ? nil : Data(rest)
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer = Data(buffer) + chunk }
        }
    }

    /// Goes back to the first line.
    mutating func rewind() throws {
        try handle.seek(toOffset: 0)
        buffer = Data()
        atEnd = false
    }

    func close() {
        try? handle.close()
    }

    private static func isBlank(_ line: Data) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
