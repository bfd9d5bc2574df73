#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a body made of pieces at any position, encoding base64 pieces a window at a time.
enum PieceReader {
    /// Copies the body's bytes from `position` into `buffer` (filled unless the body ends first); returns how many.
    static func copy(_ pieces: [HTTPBody.Piece], from position: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var start = position
        var filled = 0
        for piece in pieces where filled < buffer.count {
            let length = piece.length
            guard start < length else {
                start -= length
                continue
            }
            let count = Int(min(Int64(buffer.count - filled), length - start))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + count)])
            switch piece {
            case .bytes(let data):
                data.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Int(start)..<(Int(start) + count)])) }
            case .base64(let data):
                copyBase64(of: data, from: Int(start), into: target)
            }
            filled += count
            start = 0
        }
        return filled
    }

    /// Base64 text of `data` from character `offset`, `target.count` characters: the 3-byte groups covering
    /// them are encoded (base64 of 3-byte-aligned slices concatenates to the base64 of the whole).
    private static func copyBase64(of data: Data, from offset: Int, into target: UnsafeMutableRawBufferPointer) {
        let firstGroup = offset / 4
        let lastGroup = (offset + target.count - 1) / 4
        let inputStart = data.startIndex + firstGroup * 3
        let inputEnd = min(data.endIndex, data.startIndex + (lastGroup + 1) * 3)
        let encoded = data[inputStart..<inputEnd].base64EncodedData()
        let skip = offset - firstGroup * 4
        encoded.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[skip..<(skip + target.count)])) }
    }
}
